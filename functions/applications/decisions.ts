/**
 * Business outcomes of a workflow step that are not errors (see outcomes.ts): the pure part, importable by the
 * steps that call no AWS service without bringing the applications repository (and the AWS SDK) into their bundle.
 */
import type { ReasonCondition, StopConditions } from '../domain/reasonCatalog';

export interface Proceed {
  ok: true;
  reasonCode: null;
  reason: null;
}

export interface Stop<C extends string = string> {
  ok: false;
  reasonCode: C;
  /**
   * The failed condition(s) as codes with their dates and figures (reasonCatalog.ts): what the application's
   * reason stores; its message is rendered from them when it is answered.
   */
  reason: StopConditions;
}

export type CheckDecision<C extends string = string> = Proceed | Stop<C>;

export const PROCEED: Proceed = { ok: true, reasonCode: null, reason: null };

export function stop<C extends string>(reasonCode: C, conditions: ReasonCondition[]): Stop<C> {
  const [condition, ...additional] = conditions;
  if (!condition) throw new RangeError(`stop(${reasonCode}) needs the failed condition`);
  return { ok: false, reasonCode, reason: { condition, ...(additional.length ? { additionalConditions: additional } : {}) } };
}
