/**
 * HTTP API of the household renewal (public: portal/app behind API keys):
 *   POST /v1/household-renewals/quote  → 200 HouseholdQuote (no side effects; personal IDs masked)
 *   POST /v1/household-renewals        → 202 { applicationId, status } (+ Location); optional Idempotency-Key
 * Thin: parse with zod → service → respond. Every input problem is a 400 with a stable code and vi+en text.
 */
import { z } from 'zod';
import { httpApi, header, parseBody, type HttpEvent } from '../shared/http';
import { ValidationError } from '../shared/errors';
import { now, vietnamDate } from '../shared/clock';
import { isValidCalendarDate, compareDates } from '../domain/dates';
import { isPersonalIdFormat } from '../domain/identity/personalId';
import { populationRegistry } from '../adapters/populationRegistry';
import { maskPersonalIds } from '../adapters/applicationsRepository';
import { quoteHousehold, submitHouseholdRenewal } from '../household/householdRenewal';

export const householdRenewalBodySchema = z.object({
  head: z.object({
    personalId: z
      .string()
      .refine((id) => /^\d{12}$/.test(id) && isPersonalIdFormat(id), { message: 'personalId must be 12 digits' }),
    fullName: z.string().trim().min(1, { message: 'fullName is required' }).max(100, { message: 'fullName is at most 100 characters' }),
    dateOfBirth: z
      .string()
      .refine(isValidCalendarDate, { message: 'dateOfBirth must be a real calendar date YYYY-MM-DD' })
      .refine((d) => !isValidCalendarDate(d) || compareDates(d, vietnamDate()) <= 0, {
        message: 'dateOfBirth cannot be in the future',
      }),
    sex: z.enum(['MALE', 'FEMALE']).optional(),
  }),
  periodMonths: z.union([z.literal(3), z.literal(6), z.literal(12)], { message: 'periodMonths must be 3, 6 or 12' }),
});

/** 1–128 visible ASCII characters (RFC draft "Idempotency-Key" header). */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;

function idempotencyKeyOf(event: HttpEvent): string | undefined {
  const value = header(event, 'Idempotency-Key');
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new ValidationError(
      'Tiêu đề Idempotency-Key phải gồm 1 đến 128 ký tự ASCII hiển thị được',
      'The Idempotency-Key header must be 1 to 128 visible ASCII characters',
      undefined,
      'INVALID_IDEMPOTENCY_KEY',
    );
  }
  return value;
}

function consumerIdOf(event: HttpEvent): string {
  return event.requestContext?.identity?.apiKeyId || 'anonymous';
}

export const handler = httpApi([
  {
    method: 'POST',
    path: '/v1/household-renewals/quote',
    handler: async (event) => {
      const body = parseBody(householdRenewalBodySchema, event);
      const quote = await quoteHousehold(body, populationRegistry(), vietnamDate());
      return { statusCode: 200, body: maskPersonalIds(quote) };
    },
  },
  {
    method: 'POST',
    path: '/v1/household-renewals',
    handler: async (event) => {
      const idempotencyKey = idempotencyKeyOf(event);
      const body = parseBody(householdRenewalBodySchema, event);
      const out = await submitHouseholdRenewal({ body, idempotencyKey, consumerId: consumerIdOf(event) }, now());
      return {
        statusCode: 202,
        body: { applicationId: out.applicationId, status: out.status },
        headers: { location: `/v1/applications/${out.applicationId}` },
      };
    },
  },
]);
