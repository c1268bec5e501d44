/**
 * The payment gateway's callback (auth 'paymentGateway': no bearer token; the HMAC signature is the credential):
 *   POST /v1/payment-callbacks   body { paymentRequestId, gatewayReference, amount, paidAt }
 *                                headers X-Payment-Timestamp: <unix seconds>,
 *                                        X-Payment-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">
 *   → 200 APPLIED (202 when the workflow could not be resumed yet: the gateway retries), 401 INVALID_SIGNATURE /
 *     STALE_SIGNATURE, 400, 404 PAYMENT_REQUEST_NOT_FOUND, 422 AMOUNT_MISMATCH, 409 GATEWAY_REFERENCE_REUSED, or
 *     409 with a refund-due reason code (details.refundDue: true).
 * See functions/household/householdPayments.ts.
 */
import { httpApi, header, type HttpEvent } from '../shared/http';
import { receivePaymentCallback } from '../household/householdPayments';

/** The body exactly as received (the signature covers these bytes). */
function rawBodyOf(event: HttpEvent): Buffer {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

export const handler = httpApi([
  {
    method: 'POST',
    path: '/v1/payment-callbacks',
    handler: async (event) => {
      const out = await receivePaymentCallback(rawBodyOf(event), {
        timestamp: header(event, 'X-Payment-Timestamp'),
        signature: header(event, 'X-Payment-Signature'),
      });
      return { statusCode: out.httpStatus, body: out.body };
    },
  },
]);
