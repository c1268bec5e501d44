/**
 * HTTP API of the unemployment-insurance contribution history (public: employment service centres and the
 * portal, behind API keys):
 *   POST /v1/unemployment-history-requests → 202 { applicationId, status } (+ Location); optional Idempotency-Key
 *   body { personalId, fullName, dateOfBirth, terminationDate, contractType, requestingCentre }
 * Status and result via GET /v1/applications/{id}. Thin: zod → service → respond; bad input is a 400
 * VALIDATION_FAILED with vi+en text.
 */
import { z } from 'zod';
import { httpApi, parseBody } from '../shared/http';
import { acceptedSubmission, consumerIdOf, identityFields, idempotencyKeyOf, pastDateField } from '../shared/apiRequests';
import { now } from '../shared/clock';
import { UI_CONTRACT_TYPES, UNEMPLOYMENT_LAWS, type UiContractType } from '../domain/unemployment/unemploymentHistory';
import { submitUnemploymentHistoryRequest } from '../unemployment/unemploymentHistoryService';

const FIRST_LAW_DATE = UNEMPLOYMENT_LAWS[0].effectiveFrom;

export const unemploymentHistoryBodySchema = z.object({
  ...identityFields,
  terminationDate: pastDateField('terminationDate').refine((d) => d >= FIRST_LAW_DATE, {
    message: `terminationDate must be on or after ${FIRST_LAW_DATE} (first law on record)`,
  }),
  contractType: z.enum(UI_CONTRACT_TYPES as [UiContractType, ...UiContractType[]], {
    message: `contractType must be one of ${UI_CONTRACT_TYPES.join(', ')}`,
  }),
  requestingCentre: z
    .string()
    .trim()
    .min(1, { message: 'requestingCentre is required' })
    .max(200, { message: 'requestingCentre is at most 200 characters' }),
});

export const handler = httpApi([
  {
    method: 'POST',
    path: '/v1/unemployment-history-requests',
    handler: async (event) => {
      const idempotencyKey = idempotencyKeyOf(event);
      const { personalId, fullName, dateOfBirth, ...rest } = parseBody(unemploymentHistoryBodySchema, event);
      const out = await submitUnemploymentHistoryRequest(
        { request: { applicant: { personalId, fullName, dateOfBirth }, ...rest }, idempotencyKey, consumerId: consumerIdOf(event) },
        now(),
      );
      return acceptedSubmission(out);
    },
  },
]);
