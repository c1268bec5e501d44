/**
 * Step RecordUnemploymentHistory: `{ applicationId, assessment, lastEmployer, requestingCentre }` → the
 * confirmation; application → COMPLETED with it. Idempotent (a retry returns the recorded result).
 */
import * as z from 'zod';
import { recordUnemploymentHistory } from '../unemployment/unemploymentHistoryService';
import type { UnemploymentHistoryAssessment } from '../domain/unemployment/unemploymentHistory';
import { stepHandler } from '../shared/steps';
import { lastEmployerSchema } from './schemas';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  requestingCentre: z.string().min(1),
  lastEmployer: lastEmployerSchema,
  assessment: z.looseObject({
    status: z.literal('ASSESSED'),
    eligible: z.boolean(),
    totalUiMonths: z.number().int(),
    law: z.looseObject({ id: z.string() }),
  }),
});

export const handler = stepHandler(
  'RecordUnemploymentHistory',
  inputSchema,
  (input) => recordUnemploymentHistory({ ...input, assessment: input.assessment as unknown as UnemploymentHistoryAssessment }),
  (result) => ({ eligible: result.eligible, totalUiMonths: result.totalUiMonths }),
);
