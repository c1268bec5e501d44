/**
 * HTTP API of the unemployment-insurance contribution history (consumers: employment service centres and the
 * portal, with an access token carrying the unemployment-history scope):
 *   POST /v1/unemployment-history-requests → 202 { applicationId, status } (+ Location); optional Idempotency-Key
 *   body { personalId, fullName, dateOfBirth, terminationDate, contractType, requestingCentre }
 * Status and result via GET /v1/applications/{id}. Thin: zod → service → respond; bad input is a 400
 * VALIDATION_FAILED with vi+en text.
 */
import * as z from 'zod';
import { consumerPrincipal, httpApi, parseBody } from '../shared/http';
import { acceptedSubmission, identityFields, idempotencyKeyOf, pastDateField } from '../shared/apiRequests';
import { consumerScopes } from '../catalog';
import { now } from '../shared/clock';
import { msg } from '../shared/validationMessages';
import { UI_CONTRACT_TYPES, UNEMPLOYMENT_LAWS, type UiContractType } from '../domain/unemployment/unemploymentHistory';
import { submitUnemploymentHistoryRequest } from '../unemployment/unemploymentHistoryService';

const FIRST_LAW_DATE = UNEMPLOYMENT_LAWS[0].effectiveFrom;

export const unemploymentHistoryBodySchema = z.object({
  ...identityFields,
  terminationDate: pastDateField('terminationDate', 'Ngày chấm dứt hợp đồng lao động').refine((d) => d >= FIRST_LAW_DATE, {
    message: msg(
      `terminationDate must be on or after ${FIRST_LAW_DATE} (first law on record)`,
      `Ngày chấm dứt hợp đồng lao động phải từ ngày ${FIRST_LAW_DATE} trở đi (ngày hiệu lực của văn bản luật đầu tiên được ghi nhận)`,
    ),
  }),
  contractType: z.enum(UI_CONTRACT_TYPES as [UiContractType, ...UiContractType[]], {
    message: msg(
      `contractType must be one of ${UI_CONTRACT_TYPES.join(', ')}`,
      `Loại hợp đồng lao động phải là một trong các giá trị: ${UI_CONTRACT_TYPES.join(', ')}`,
    ),
  }),
  requestingCentre: z
    .string()
    .trim()
    .min(1, { message: msg('requestingCentre is required', 'Tên trung tâm dịch vụ việc làm đề nghị không được để trống') })
    .max(200, {
      message: msg('requestingCentre is at most 200 characters', 'Tên trung tâm dịch vụ việc làm đề nghị không được dài quá 200 ký tự'),
    }),
});

export const handler = httpApi([
  {
    method: 'POST',
    path: '/v1/unemployment-history-requests',
    handler: async (event) => {
      const { consumerId } = consumerPrincipal(event, [consumerScopes.UNEMPLOYMENT_HISTORY]);
      const idempotencyKey = idempotencyKeyOf(event);
      const { personalId, fullName, dateOfBirth, ...rest } = parseBody(unemploymentHistoryBodySchema, event);
      const out = await submitUnemploymentHistoryRequest(
        { request: { applicant: { personalId, fullName, dateOfBirth }, ...rest }, idempotencyKey, consumerId },
        now(),
      );
      return acceptedSubmission(out);
    },
  },
]);
