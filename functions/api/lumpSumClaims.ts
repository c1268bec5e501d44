/**
 * HTTP API of the lump-sum social-insurance withdrawal (consumers: an access token with the lump-sum scope):
 *   POST /v1/lump-sum-claims → 202 { applicationId, status } (+ Location); optional Idempotency-Key
 *   body { personalId, fullName, dateOfBirth, reason, bankAccount: { bankCode, accountNumber }, evidence? }
 * Status and result via GET /v1/applications/{id}. Thin: zod → service → respond; bad input is a 400
 * VALIDATION_FAILED with vi+en text.
 */
import * as z from 'zod';
import { consumerPrincipal, httpApi, parseBody } from '../shared/http';
import { acceptedSubmission, identityFields, idempotencyKeyOf, pastDateField } from '../shared/apiRequests';
import { consumerScopes } from '../catalog';
import { now } from '../shared/clock';
import { msg } from '../shared/validationMessages';
import { isValidCalendarDate } from '../domain/dates';
import { LUMP_SUM_REASONS, type ListedDisease, type LumpSumReason } from '../domain/lumpSum/lumpSumEligibility';
import { submitLumpSumClaim } from '../lumpSum/lumpSumService';

const LISTED_DISEASES: [ListedDisease, ...ListedDisease[]] = [
  'CANCER',
  'PARALYSIS',
  'DECOMPENSATED_CIRRHOSIS',
  'SEVERE_TUBERCULOSIS',
  'AIDS',
  'LEPROSY',
  'OTHER_MOH_LISTED',
];

/** A Vietnamese bank account: NAPAS bank identification number (6 digits) and an account number of 6–19 digits. */
export const bankAccountSchema = z.strictObject({
  bankCode: z.string().regex(/^\d{6}$/, {
    message: msg(
      'bankAccount.bankCode must be the 6-digit NAPAS bank code (BIN), e.g. 970436',
      'Mã ngân hàng phải là mã BIN NAPAS gồm 6 chữ số, ví dụ 970436',
    ),
  }),
  accountNumber: z.string().regex(/^\d{6,19}$/, {
    message: msg('bankAccount.accountNumber must be 6 to 19 digits', 'Số tài khoản ngân hàng phải gồm từ 6 đến 19 chữ số'),
  }),
});

const evidenceSchema = z.strictObject({
  settlementAbroadDocument: z.boolean().optional(),
  disease: z.enum(LISTED_DISEASES).optional(),
  workCapacityLossPercent: z.number().int().min(0).max(100).optional(),
  especiallySevereDisability: z.boolean().optional(),
  armedForcesSeparationDate: pastDateField('evidence.armedForcesSeparationDate', 'Ngày quyết định phục viên, xuất ngũ, thôi việc').optional(),
  eligibleForPension: z.boolean().optional(),
  retirementAgeReachedOn: z
    .string()
    .refine(isValidCalendarDate, {
      message: msg(
        'evidence.retirementAgeReachedOn must be a real calendar date YYYY-MM-DD',
        'Ngày đủ tuổi nghỉ hưu phải là ngày có thật theo định dạng YYYY-MM-DD',
      ),
    })
    .optional(),
});

export const lumpSumClaimBodySchema = z.object({
  ...identityFields,
  reason: z.enum(LUMP_SUM_REASONS as [LumpSumReason, ...LumpSumReason[]], {
    message: msg(
      `reason must be one of ${LUMP_SUM_REASONS.join(', ')}`,
      `Trường hợp hưởng BHXH một lần phải là một trong các giá trị: ${LUMP_SUM_REASONS.join(', ')}`,
    ),
  }),
  bankAccount: bankAccountSchema,
  evidence: evidenceSchema.optional(),
});

export const handler = httpApi([
  {
    method: 'POST',
    path: '/v1/lump-sum-claims',
    handler: async (event) => {
      const { consumerId } = consumerPrincipal(event, [consumerScopes.LUMP_SUM_WITHDRAWAL]);
      const idempotencyKey = idempotencyKeyOf(event);
      const { personalId, fullName, dateOfBirth, reason, bankAccount, evidence } = parseBody(lumpSumClaimBodySchema, event);
      const out = await submitLumpSumClaim(
        {
          request: { applicant: { personalId, fullName, dateOfBirth }, reason, bankAccount, evidence: evidence ?? null },
          idempotencyKey,
          consumerId,
        },
        now(),
      );
      return acceptedSubmission(out);
    },
  },
]);
