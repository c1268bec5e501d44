/**
 * Scheduled (EventBridge rate(5 minutes)): flags review items past their escalation threshold (province
 * `escalateAfterHours`, before the workflow's review deadline) or past due as `escalated: true` for supervisors,
 * with an AUDIT row ESCALATED (reviewQueue/reviewConsole.ts, escalateOverdueItems).
 */
import { escalateOverdueItems, type EscalationSummary } from '../reviewQueue/escalation';
import { invocationHandler } from '../shared/logger';

/** Each run in its own logging context (shared/logger.ts), with the Lambda context in its lines. */
export const handler = invocationHandler<unknown, EscalationSummary>(() => escalateOverdueItems());
