/**
 * Scheduled (EventBridge rate(1 minute); an interval timer locally): delivers review decisions that are
 * recorded but not yet delivered to their workflow (resume PENDING), see reviewQueue.resumePendingDecisions.
 */
import { resumePendingDecisions, type ResumeSummary } from '../reviewQueue/reviewQueue';

export async function handler(_event?: unknown, _context?: unknown): Promise<ResumeSummary> {
  return resumePendingDecisions();
}
