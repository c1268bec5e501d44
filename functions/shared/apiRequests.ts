/**
 * Request pieces every public submission API shares (household renewal, unemployment history, lump sum):
 * the Idempotency-Key header and the zod fields of a declared identity (the consumer the key is scoped to is
 * `consumerPrincipal` of shared/http.ts).
 * Every problem is a 400 with a stable code and vi+en text (shared/http.ts).
 */
import * as z from 'zod';
import { header, type HttpEvent } from './http';
import { ValidationError } from './errors';
import { vietnamDate } from './clock';
import { compareDates, isValidCalendarDate } from '../domain/dates';
import { isPersonalIdFormat } from '../domain/identity/personalId';
import { msg } from './validationMessages';

/** 1–128 visible ASCII characters (RFC draft "Idempotency-Key" header). */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;

/** The Idempotency-Key header, if any; a malformed one is a 400 INVALID_IDEMPOTENCY_KEY. */
export function idempotencyKeyOf(event: HttpEvent): string | undefined {
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

/**
 * A past-or-today calendar date 'YYYY-MM-DD'; `field` names it in the English messages, `labelVi` in the
 * Vietnamese ones (e.g. 'dateOfBirth', 'Ngày sinh').
 */
export function pastDateField(field: string, labelVi: string) {
  return z
    .string()
    .refine(isValidCalendarDate, {
      message: msg(`${field} must be a real calendar date YYYY-MM-DD`, `${labelVi} phải là ngày có thật theo định dạng YYYY-MM-DD`),
    })
    .refine((d) => !isValidCalendarDate(d) || compareDates(d, vietnamDate()) <= 0, {
      message: msg(`${field} cannot be in the future`, `${labelVi} không được sau ngày hiện tại`),
    });
}

/** The fields of a declared identity (personal ID, full name, date of birth). */
export const identityFields = {
  personalId: z.string().refine((id) => /^\d{12}$/.test(id) && isPersonalIdFormat(id), {
    message: msg('personalId must be 12 digits', 'Số định danh cá nhân phải gồm 12 chữ số'),
  }),
  fullName: z
    .string()
    .trim()
    .min(1, { message: msg('fullName is required', 'Họ và tên không được để trống') })
    .max(100, { message: msg('fullName is at most 100 characters', 'Họ và tên không được dài quá 100 ký tự') }),
  dateOfBirth: pastDateField('dateOfBirth', 'Ngày sinh'),
};

/** The 202 answer of a submission: the application id and where to follow it. */
export function acceptedSubmission(out: { applicationId: string; status: string }) {
  return {
    statusCode: 202,
    body: { applicationId: out.applicationId, status: out.status },
    headers: { location: `/v1/applications/${out.applicationId}` },
  };
}
