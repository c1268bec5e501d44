/**
 * Scheduled (EventBridge rate(1 minute); an interval timer locally): delivers review decisions that are
 * recorded but not yet delivered to their workflow (resume PENDING), see reviewQueue.resumePendingDecisions.
 */
import { resumePendingDecisions, type ResumeSummary } from '../reviewQueue/reviewQueue';
import { invocationHandler } from '../shared/logger';

/** Each run in its own logging context (shared/logger.ts), with the Lambda context in its lines. */
export const handler = invocationHandler<unknown, ResumeSummary>(() => resumePendingDecisions());
