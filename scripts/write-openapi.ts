/**
 * `npm run openapi`: writes docs/openapi.json from the catalog's routes, the zod contracts and the recorded
 * examples (docs/openapi-examples.json). `npm run openapi -- --examples` records the examples first, from a run
 * of the local system (scripts/record-examples.ts; about half a minute).
 */
import { writeFileSync } from 'node:fs';

if (process.argv.includes('--examples')) {
  const { recordExamples } = await import('./record-examples');
  await recordExamples();
}
// Imported after the recording: the document reads the examples file when it is built.
const { buildOpenApiDocument } = await import('../functions/api/openapi/document');
const file = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);
process.exit(0);
