/**
 * Step LoadContributionHistory (both the unemployment-history and the lump-sum workflows):
 * `{ applicationId, personalId }` → `{ periods, lastEmployer, settlements, settlement }` — the person's
 * contribution periods (employer, from–to, monthly salary, schemes, region), the last employer's closing/debt
 * status and every lump-sum settlement marker (ascending by settledThrough; `settlement` is the latest, for
 * executions started before settlements were per record), read consistently from the insuranceRecords table.
 */
import * as z from 'zod';
import { loadContributionRecord } from '../adapters/contributionRecordsRepository';
import { stepHandler } from '../shared/steps';

export const handler = stepHandler(
  'LoadContributionHistory',
  z.object({ applicationId: z.string().min(1), personalId: z.string().min(1) }),
  ({ personalId }) => loadContributionRecord(personalId),
  (record) => ({
    periods: record.periods.length,
    lastEmployer: record.lastEmployer?.code ?? null,
    settlements: record.settlements.length,
    settledThrough: record.settlement?.settledThrough ?? null,
  }),
);
