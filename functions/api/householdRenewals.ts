/**
 * HTTP API of the household renewal (consumers: an access token with the household-renewal scope; 401 / 403 otherwise):
 *   POST /v1/household-renewals/quote  → 200 HouseholdQuote (no side effects; personal IDs masked; every amount explained)
 *   POST /v1/household-renewals        → 202 { applicationId, status } (+ Location); optional Idempotency-Key
 * Thin: parse with zod → service → respond. Every input problem is a 400 with a stable code and vi+en text.
 */
import * as z from 'zod';
import { consumerPrincipal, httpApi, parseBody } from '../shared/http';
import { acceptedSubmission, identityFields, idempotencyKeyOf } from '../shared/apiRequests';
import { consumerScopes } from '../catalog';
import { msg } from '../shared/validationMessages';
import { now, vietnamDate } from '../shared/clock';
import { populationRegistry } from '../adapters/populationRegistry';
import { maskPersonalIds } from '../adapters/applicationsRepository';
import { answeredQuote } from '../domain/explanations/answers';
import { quoteHousehold, submitHouseholdRenewal } from '../household/householdRenewal';

export const householdRenewalBodySchema = z.object({
  head: z.object({
    ...identityFields,
    sex: z.enum(['MALE', 'FEMALE']).optional(),
  }),
  periodMonths: z.union([z.literal(3), z.literal(6), z.literal(12)], {
    message: msg('periodMonths must be 3, 6 or 12', 'Kỳ hạn đóng phải là 3, 6 hoặc 12 tháng'),
  }),
});

export const handler = httpApi([
  {
    method: 'POST',
    path: '/v1/household-renewals/quote',
    handler: async (event) => {
      consumerPrincipal(event, [consumerScopes.HOUSEHOLD_RENEWAL]);
      const body = parseBody(householdRenewalBodySchema, event);
      const quote = await quoteHousehold(body, populationRegistry(), vietnamDate());
      // Each member's amount with its explanation (domain/explanations), personal IDs masked.
      return { statusCode: 200, body: maskPersonalIds(answeredQuote(quote)) };
    },
  },
  {
    method: 'POST',
    path: '/v1/household-renewals',
    handler: async (event) => {
      const { consumerId } = consumerPrincipal(event, [consumerScopes.HOUSEHOLD_RENEWAL]);
      const idempotencyKey = idempotencyKeyOf(event);
      const body = parseBody(householdRenewalBodySchema, event);
      const out = await submitHouseholdRenewal({ body, idempotencyKey, consumerId }, now());
      return acceptedSubmission(out);
    },
  },
]);
