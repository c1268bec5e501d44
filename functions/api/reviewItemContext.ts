/**
 * Staff API (a Cognito ID token, province from its claim):
 *   GET /v1/review-items/{itemId}/context   → the item's escalation, its application's timeline (masked) and
 *                                             every amount computed so far with its explanation
 * Its own function so that the explanation texts are only in the bundle that shows them (functions/catalog.ts).
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
