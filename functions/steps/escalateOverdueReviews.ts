/**
 * Scheduled (EventBridge rate(5 minutes)): flags review items past their escalation threshold (province
 * `escalateAfterHours`, before the workflow's review deadline) or past due as `escalated: true` for supervisors,
 * with an AUDIT row ESCALATED (reviewQueue/reviewConsole.ts, escalateOverdueItems).
 */
import { escalateOverdueItems, type EscalationSummary } from '../reviewQueue/reviewConsole';

export async function handler(_event?: unknown, _context?: unknown): Promise<EscalationSummary> {
  return escalateOverdueItems();
}
