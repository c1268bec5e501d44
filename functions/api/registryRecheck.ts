/**
 * Supervisors' registry re-check (reviewQueue/registryRecheck.ts), in its own function so that the review console's
 * bundle stays small:
 *   POST /v1/review-items/{itemId}/recheck-registry → 200 RecheckResult (403 SUPERVISOR_ONLY / OTHER_PROVINCE,
 *        404, 409 NOT_REGISTRY_UNAVAILABLE)
 *   POST /v1/review-items/recheck-registry          → 200 { checked, resumed, newReason, stillUnavailable, items, more }
 */
import { httpApi, pathParam, staffPrincipal } from '../shared/http';
import { recheckRegistryItem, recheckRegistryItems } from '../reviewQueue/registryRecheck';

export const handler = httpApi([
  {
    method: 'POST',
    path: '/v1/review-items/recheck-registry',
    handler: async (event) => ({ statusCode: 200, body: await recheckRegistryItems(staffPrincipal(event)) }),
  },
  {
    method: 'POST',
    path: '/v1/review-items/{itemId}/recheck-registry',
    handler: async (event) => ({ statusCode: 200, body: await recheckRegistryItem(staffPrincipal(event), pathParam(event, 'itemId')) }),
  },
]);
