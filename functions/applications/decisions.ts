/**
 * Business outcomes of a workflow step that are not errors (see outcomes.ts): the pure part, importable by the
 * steps that call no AWS service without bringing the applications repository (and the AWS SDK) into their bundle.
 */
export interface Proceed {
  ok: true;
  reasonCode: null;
  reason: null;
}

export interface Stop<C extends string = string> {
  ok: false;
  reasonCode: C;
  /** Precise reason, Vietnamese then English ("vi / en"): becomes the application's reason detail. */
  reason: string;
}

export type CheckDecision<C extends string = string> = Proceed | Stop<C>;

export const PROCEED: Proceed = { ok: true, reasonCode: null, reason: null };

export function stop<C extends string>(reasonCode: C, text: { vi: string; en: string }): Stop<C> {
  return { ok: false, reasonCode, reason: `${text.vi} / ${text.en}` };
}
