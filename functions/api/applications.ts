/**
 * HTTP API of applications (all services):
 *   GET  /v1/applications/{applicationId}          → 200 public view (whitelist, personal IDs masked, no token) of
 *        the calling consumer's own application; unknown or another consumer's → the same 404 APPLICATION_NOT_FOUND.
 *        A household renewal with a payment request also reads that request (its quote and deadline are stored
 *        there, once). The application is read eventually consistent (a poll; ½ RRU; a miss again strongly), the request strongly (it
 *        is written just before the application names it).
 * (The payment gateway's callback is POST /v1/payment-callbacks, paymentCallbacks.ts.)
 */
import { consumerPrincipal, httpApi, pathParam, type HttpEvent } from '../shared/http';
import { ANY_SERVICE_SCOPE } from '../catalog';
import { NotFoundError, ValidationError } from '../shared/errors';
import { applicationsRepository, publicApplicationView } from '../adapters/applicationsRepository';
import { decodeQuote, paymentsRepository } from '../adapters/paymentsRepository';

/** Two letters, a dash, letters and digits: never an idempotency record's key (`IDEMPOTENCY#…`). */
const APPLICATION_ID = /^[A-Z]{2}-[A-Za-z0-9]{10,40}$/;

function applicationIdOf(event: HttpEvent): string {
  const id = pathParam(event, 'applicationId');
  if (!APPLICATION_ID.test(id)) {
    throw new ValidationError('Mã hồ sơ không hợp lệ', 'Invalid application id', undefined, 'INVALID_APPLICATION_ID');
  }
  return id;
}

export const handler = httpApi([
  {
    method: 'GET',
    path: '/v1/applications/{applicationId}',
    handler: async (event) => {
      const { consumerId } = consumerPrincipal(event, ANY_SERVICE_SCOPE);
      const id = applicationIdOf(event);
      // Eventually consistent first (a poll may see the previous status for a moment); a miss is read again
      // strongly, so an application created a moment ago is never a 404.
      const record = (await applicationsRepository.get(id, { consistent: false })) ?? (await applicationsRepository.get(id));
      // Another consumer's application is indistinguishable from an unknown id.
      if (!record || record.consumerId !== consumerId) {
        throw new NotFoundError({ vi: 'hồ sơ', en: 'Application' }, 'APPLICATION_NOT_FOUND');
      }
      const request = record.paymentRequestId ? await paymentsRepository.getRequest(record.paymentRequestId) : null;
      const part = request ? { amount: request.amount, dueAt: request.dueAt, quote: decodeQuote(request).quote } : null;
      return { statusCode: 200, body: publicApplicationView(record, part) };
    },
  },
]);
