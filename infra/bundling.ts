/**
 * How every Lambda function is bundled: ONE options object, used by CDK's NodejsFunction
 * (infra/constructs/functions.ts) and, translated flag for flag the way CDK translates it, by the bundle benchmark
 * (bench/bundles.ts) and the bundle test (test/infra/bundles.test.ts). test/infra/bundles.test.ts also builds one
 * function through CDK itself and checks the bytes are the same, so the translation cannot drift from CDK's.
 *
 * Choices (measured with `npx tsx bench/bundles.ts`; figures in the issue-10 report):
 * - ESM, node22, minified, the AWS SDK bundled (the version of package-lock.json, not the runtime's).
 * - Modules the SDK loads only with `await import(...)` on paths Lambda never takes are left out of the bundle
 *   (`external`, NEVER_LOADED_IN_LAMBDA): the credential providers the default chain tries when the environment
 *   has no credentials — SSO, shared ini files/profiles, credential_process, web-identity token files, container
 *   and instance metadata, and through them the STS/SSO/sign-in clients (Lambda always puts the execution role's
 *   credentials in the environment, so the chain's first link, fromEnv, bundled, answers) — and the event-stream
 *   serde (none of our clients' operations has an event stream). They were ≈ 150 KB of every bundle that uses
 *   AWS. A bundle must never import them statically (the bundle test checks every external import is dynamic).
 * - No source map, no `--enable-source-maps`: see SOURCE_MAPS below.
 */
import { join } from 'node:path';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** Loads `require` for CommonJS dependencies inside the ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Modules the AWS SDK imports only dynamically (`await import(...)`), on paths our functions never take in
 * Lambda; left out of the bundles (`external`), see the file comment. The bundle test checks that no bundle
 * imports any of them statically.
 */
export const NEVER_LOADED_IN_LAMBDA = [
  // The default credential chain's links after fromEnv: Lambda always sets the execution role's credentials
  // in the environment, so fromEnv answers and these are never imported.
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http', // container credentials (ECS/EKS)
  '@smithy/credential-provider-imds', // EC2 instance metadata and container credentials
  // Event-stream (de)serialisation, loaded only for operations with an event-stream member: DynamoDB,
  // Step Functions and Secrets Manager have none.
  '@smithy/core/event-streams',
] as const;

/**
 * Source maps, measured on these bundles (`npx tsx bench/bundles.ts --compare`, interleaved, CPU time of the
 * import): with `sourceMap: true` and NODE_OPTIONS=--enable-source-maps, Node reads and parses the .map (≈ 1.6×
 * the bundle) at module load: +24 % init summed over the 25 bundles (+13 to +46 % each; RunIdentityCheck 87 →
 * 117 ms), on every cold start, for stack traces that only matter when something throws. Off: a minified stack
 * trace still names the bundle's line and column, and `npx tsx bench/bundles.ts --source-maps` (or CDK with
 * `lambdaBundling(root, { sourceMaps: true })`) rebuilds the same bundle with its map to decode one. Our errors
 * are typed (code, name, bilingual message) and logged as such, so logs stay readable without maps.
 */
export const SOURCE_MAPS = false;

/** The bundling options of every catalog function. */
export function lambdaBundling(repoRoot: string, options: { sourceMaps?: boolean } = {}): nodejs.BundlingOptions {
  const sourceMap = options.sourceMaps ?? SOURCE_MAPS;
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap,
    ...(sourceMap ? { sourcesContent: false } : {}),
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    // The AWS SDK is bundled (the version is the one in package-lock.json, not the runtime's), except the
    // modules it would only load lazily on paths Lambda never takes.
    externalModules: [...NEVER_LOADED_IN_LAMBDA],
    tsconfig: join(repoRoot, 'tsconfig.json'),
  };
}

/** NODE_OPTIONS of every function: `--enable-source-maps` only when the bundles carry source maps. */
export function lambdaNodeOptions(bundling: nodejs.BundlingOptions): string | undefined {
  return bundling.sourceMap ? '--enable-source-maps' : undefined;
}

/**
 * The esbuild build options CDK's NodejsFunction derives from `bundling` (aws-lambda-nodejs bundling.ts,
 * buildEsbuildArgs: `esbuild --bundle <entry> --target --platform=node --format --outfile=<out>/index.mjs
 * --minify --sourcemap --sources-content=false --external:… --tsconfig --banner:js --main-fields`), for the
 * options this project uses; any other option is refused rather than silently ignored.
 */
export function esbuildOptionsOf(bundling: nodejs.BundlingOptions, entry: string, outdir: string): BuildOptions {
  const supported = new Set(['format', 'target', 'minify', 'sourceMap', 'sourcesContent', 'mainFields', 'banner', 'externalModules', 'tsconfig']);
  const unsupported = Object.keys(bundling).filter((k) => !supported.has(k));
  if (unsupported.length > 0) throw new Error(`esbuildOptionsOf: bundling options not translated: ${unsupported.join(', ')}`);
  const format = bundling.format ?? nodejs.OutputFormat.CJS;
  return {
    entryPoints: [entry],
    bundle: true,
    target: bundling.target,
    platform: 'node',
    format,
    outfile: join(outdir, format === nodejs.OutputFormat.ESM ? 'index.mjs' : 'index.js'),
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: bundling.externalModules ?? ['@aws-sdk/*'],
    tsconfig: bundling.tsconfig,
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
  };
}
