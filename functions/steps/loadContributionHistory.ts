/**
 * Step LoadContributionHistory (both the unemployment-history and the lump-sum workflows):
 * `{ applicationId, personalId }` → `{ periods, lastEmployer, settlement }` — the person's contribution periods
 * (employer, from–to, monthly salary, schemes, region), the last employer's closing/debt status and the lump-sum
 * settlement marker, read consistently from the insuranceRecords table.
 */
import { z } from 'zod';
import { loadContributionRecord } from '../adapters/contributionRecordsRepository';
import { stepHandler } from '../shared/steps';

export const handler = stepHandler(
  'LoadContributionHistory',
  z.object({ applicationId: z.string().min(1), personalId: z.string().min(1) }),
  ({ personalId }) => loadContributionRecord(personalId),
  (record) => ({ periods: record.periods.length, lastEmployer: record.lastEmployer?.code ?? null, settled: record.settlement !== null }),
);
