/**
 * What an answer (public application view, quote, staff console) shows of a computed amount: the amount with its
 * explanation beside it, and nothing internal — the rule data's provenance markers (`verify`) and notes about
 * sources stay in the rule data and the docs. Applied when an answer is built, so a result or a quote stored
 * before explanations existed is answered the same way, and what is stored (and carried by the workflows) does
 * not grow.
 */
import type { HouseholdQuote, ServiceName } from '../types';
import { explainHouseholdQuote, type ExplainedHouseholdQuote } from './household';
import { explainLumpSumAmount, type ExplainableLumpSum } from './lumpSum';
import { explainUnemploymentBenefit, type ExplainableUnemployment } from './unemployment';
import type { Explanation } from './types';
import { unemploymentResultReason } from '../reasonCatalog';

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A note about where a figure comes from (not about how it is applied). */
const SOURCE_NOTE = /\bverify\b|domain\.md|\bReading of\b/i;

/**
 * A copy without provenance: every `verify` key dropped, every `note` that speaks of sources dropped, and the
 * "(verify)" suffix of an instrument removed (results and quotes stored before the rule of issue 11).
 */
export function withoutProvenance<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutProvenance(v)) as T;
  if (!isRecord(value)) return value;
  const out: Rec = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'verify') continue;
    if (k === 'note' && typeof v === 'string' && SOURCE_NOTE.test(v)) continue;
    out[k] = k === 'instrument' && typeof v === 'string' ? v.replace(/\s*\(verify\)/gi, '') : withoutProvenance(v);
  }
  return out as T;
}

/** `rec` with `explanation` inserted right after `afterKey` (beside the amount it explains). */
function besideKey(rec: Rec, afterKey: string, explanation: Explanation): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'explanation') continue;
    out[k] = v;
    if (k === afterKey) out.explanation = explanation;
  }
  if (!('explanation' in out)) out.explanation = explanation;
  return out;
}

/**
 * A service's stored result as answered: lump sum → `explanation` beside `amount`; unemployment history →
 * `explanation` beside `estimatedMonthlyBenefit` (when a benefit was calculated). Other results: unchanged
 * but for provenance.
 */
export function answeredResult(service: ServiceName, result: Rec): Rec {
  const clean = withoutProvenance(result);
  if (service === 'LUMP_SUM_WITHDRAWAL' && isRecord(clean.breakdown) && typeof clean.amount === 'number') {
    return besideKey(clean, 'amount', explainLumpSumAmount(clean.breakdown as unknown as ExplainableLumpSum));
  }
  if (service === 'UNEMPLOYMENT_HISTORY' && typeof clean.reasonCode === 'string') {
    // The eligibility reason as a portal shows it: { code, message, condition } (reasonCatalog.ts).
    const reason = unemploymentResultReason(clean);
    if (reason) clean.reason = reason;
  }
  if (service === 'UNEMPLOYMENT_HISTORY' && isRecord(clean.benefitCalculation)) {
    const explanation = explainUnemploymentBenefit(clean as unknown as ExplainableUnemployment);
    return explanation ? besideKey(clean, 'estimatedMonthlyBenefit', explanation) : clean;
  }
  return clean;
}

/** A household quote as answered: each member's and the total's explanation, no provenance. */
export function answeredQuote(quote: HouseholdQuote): ExplainedHouseholdQuote {
  return explainHouseholdQuote(withoutProvenance(quote));
}
