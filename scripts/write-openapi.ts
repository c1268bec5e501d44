/** `npm run openapi`: writes docs/openapi.json from the catalog's routes and the zod contracts. */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../functions/api/openapi/document';

const file = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);
