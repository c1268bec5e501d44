/**
 * The Lambda bundles (issue 10, goal 3): every catalog function bundled with the options CDK uses
 * (infra/constructs/functions.ts `functionBundling`) is ≤ 400 KB, carries no zod locale but `en`, and no AWS SDK
 * code when its spec calls no AWS service (no table, no Step Functions action, no secret). The one function
 * bundled by CDK itself gives the same bytes as bench/bundles.ts's translation of the options, so the figures
 * of `npx tsx bench/bundles.ts` are those of the synthesized assets. Sizes only: init times are measured by the
 * benchmark, never asserted here.
 */
import { builtinModules } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, bytesByPackage, zodLocalesIn, type BuiltBundle } from '../../bench/bundles';
import { routes } from '../../functions/catalog';
import { NEVER_LOADED_IN_LAMBDA } from '../../infra/bundling';
import { allFunctionSpecs, functionBundling, repoRoot } from '../../infra/constructs/functions';

const MAX_BUNDLE_BYTES = 400 * 1024;
const paymentGatewayFns = new Set(routes.filter((r) => r.auth === 'paymentGateway').map((r) => r.fn as string));
/** Functions whose spec calls no AWS service: no table, no Step Functions action, no secret. */
const awsFree = Object.entries(allFunctionSpecs)
  .filter(([name, spec]) => Object.keys(spec.tables).length === 0 && !spec.stepFunctions?.length && !paymentGatewayFns.has(name))
  .map(([name]) => name);

let outDir: string;
let bundles: Map<string, BuiltBundle>;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'bhxh-bundles-test-'));
  const built = await buildBundles({ outDir: join(outDir, 'esbuild'), bundling: functionBundling });
  bundles = new Map(built.map((b) => [b.name, b]));
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const names = Object.keys(allFunctionSpecs);

describe('Lambda bundles (the options CDK uses)', () => {
  it('the AWS-free functions are the pure steps and the OpenAPI document', () => {
    expect(awsFree.sort()).toEqual(['CheckLastEmployer', 'CheckLumpSumEligibility', 'ComputeUnemploymentHistory', 'OpenApiDocumentApi', 'PlanReviewWindow', 'PriceHouseholdRenewal']);
  });

  it.each(names)('%s is ≤ 400 KB with no zod locale but en', (name) => {
    const b = bundles.get(name)!;
    expect(b.bytes, `${name}: ${(b.bytes / 1024).toFixed(0)} KB`).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    expect(zodLocalesIn(b.metafile), name).toEqual(bytesByPackage(b.metafile).zod ? ['en.js'] : []);
  });

  it.each(awsFree)('%s (no table, no Step Functions, no secret) carries no AWS SDK code', (name) => {
    const sdk = Object.entries(bytesByPackage(bundles.get(name)!.metafile))
      .filter(([pkg]) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws-crypto/'))
      .map(([pkg, bytes]) => `${pkg} ${bytes}`);
    expect(sdk, name).toEqual([]);
  });

  it.each(names)('%s imports nothing outside the bundle but Node built-ins and, lazily, the SDK modules Lambda never loads', (name) => {
    const builtins = new Set(builtinModules);
    const external = Object.values(bundles.get(name)!.metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external && !i.path.startsWith('node:') && !builtins.has(i.path));
    for (const i of external) {
      expect(NEVER_LOADED_IN_LAMBDA as readonly string[], `${name} imports ${i.path}`).toContain(i.path);
      expect(i.kind, `${name} must import ${i.path} only dynamically`).toBe('dynamic-import');
    }
  });

  it('CDK itself bundles a function to the same bytes (the benchmark measures the synthesized assets)', () => {
    const name = 'CheckLastEmployer';
    const app = new App({ outdir: join(outDir, 'cdk.out') });
    const stack = new Stack(app, 'BundleCheck', { env: { account: '111111111111', region: 'ap-southeast-1' } });
    new nodejs.NodejsFunction(stack, name, {
      entry: join(repoRoot, allFunctionSpecs[name].entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      bundling: functionBundling,
    });
    const assembly = app.synth();
    const assets = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.') && existsSync(join(assembly.directory, d, 'index.mjs')));
    expect(assets).toHaveLength(1);
    const cdkBytes = readFileSync(join(assembly.directory, assets[0], 'index.mjs'));
    expect(cdkBytes.equals(readFileSync(bundles.get(name)!.file))).toBe(true);
    expect(readdirSync(join(assembly.directory, assets[0])).sort()).toEqual(['index.mjs']); // no source map shipped
  }, 120_000);
});
