/**
 * Staff HTTP API (Cognito-authorized; the officer's province scopes it):
 *   GET /v1/review-items/{itemId}/context   → escalation + the application's timeline and explained amounts (masked)
 * Its own function (not ReviewConsoleApi): the explained amounts (domain/explanations) weigh ≈ 29 KB of bundle, and
 * ReviewConsoleApi must stay ≤ 400 KB (test/infra/bundles.test.ts). The service is reviewConsole.ts itemContext.
 */
import { httpApi, pathParam, staffPrincipal } from '../shared/http';
import { itemContext } from '../reviewQueue/reviewConsole';

export const handler = httpApi([
  {
    method: 'GET',
    path: '/v1/review-items/{itemId}/context',
    handler: async (event) => ({ statusCode: 200, body: await itemContext(staffPrincipal(event), pathParam(event, 'itemId')) }),
  },
]);
