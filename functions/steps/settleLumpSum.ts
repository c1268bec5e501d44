/**
 * Step SettleLumpSum: `{ applicationId, person, eligibility, amount }` → `{ ok, reasonCode, reason, result }`.
 * The settlement marker SETTLEMENT#LUMP_SUM#<settledThrough> (the exactly-once guard of that contribution
 * record; settledThrough = amount.contributionRecord.settledThrough, the last month paid out), the payment
 * order and COMPLETED in one DynamoDB transaction (lumpSumService.settle); ok false = ALREADY_SETTLED by another
 * application, recorded here as REJECTED with that reason through the shared outcome service (recordOutcome), so
 * the workflow ends at this step (one Standard transition fewer). TransientError on a transaction conflict (ASL
 * Retry); a retry after success returns the recorded result, after a rejection the same rejection (idempotent).
 */
import * as z from 'zod';
import { settle } from '../lumpSum/lumpSumService';
import { stepHandler } from '../shared/steps';
import { personSchema } from './schemas';
import { outcomeInput, recordOutcome } from './recordOutcome';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const contributionRecord = z.looseObject({ from: month, settledThrough: month });

const inputSchema = z.object({
  applicationId: z.string().min(1),
  person: personSchema,
  eligibility: z.looseObject({ legalBasis: z.array(z.looseObject({})), contributionRecord }),
  amount: z.looseObject({ amount: z.number().int().min(0), legalBasis: z.array(z.looseObject({})), contributionRecord }),
});

export const handler = stepHandler(
  'SettleLumpSum',
  inputSchema,
  async (input) => {
    const decision = await settle(input as unknown as Parameters<typeof settle>[0]);
    if (!decision.ok) {
      await recordOutcome(
        outcomeInput({ applicationId: input.applicationId, status: 'REJECTED', reasonCode: decision.reasonCode, reason: decision.reason }),
      );
    }
    return decision;
  },
  (decision) => ({ ok: decision.ok, reasonCode: decision.reasonCode, settledThrough: decision.result?.settledThrough ?? null }),
);
