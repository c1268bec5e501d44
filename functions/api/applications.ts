/**
 * HTTP API of applications (all services):
 *   GET  /v1/applications/{applicationId}          → 200 public view (whitelist, personal IDs masked, no token)
 * (The payment gateway's callback is POST /v1/payment-callbacks, paymentCallbacks.ts.)
 */
import { httpApi, pathParam, type HttpEvent } from '../shared/http';
import { NotFoundError, ValidationError } from '../shared/errors';
import { applicationsRepository, publicApplicationView } from '../adapters/applicationsRepository';

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
      const record = await applicationsRepository.get(applicationIdOf(event));
      if (!record) throw new NotFoundError({ vi: 'hồ sơ', en: 'Application' }, 'APPLICATION_NOT_FOUND');
      return { statusCode: 200, body: publicApplicationView(record) };
    },
  },
]);
