/**
 * GET /v1/openapi.json (public, like the health check: it names routes and shapes, no data): the OpenAPI 3.1
 * document of this API. It is the committed docs/openapi.json (generated from the catalog and the zod schemas by
 * `npm run openapi`; a test fails when it is stale), bundled as data: the function carries no schema code.
 */
import { httpApi } from '../shared/http';
import openApiDocument from '../../docs/openapi.json';

export const handler = httpApi([
  {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: async () => ({ statusCode: 200, body: openApiDocument, headers: { 'cache-control': 'public, max-age=300' } }),
  },
]);
