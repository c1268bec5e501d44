/**
 * Lambda bundles as CDK builds them (issue 10, goal 3): every catalog function bundled with the bundling options
 * of infra/constructs/functions.ts (infra/bundling.ts; test/infra/bundles.test.ts checks the translation against
 * CDK's own build), and per function:
 *   - the bundle's size (index.mjs, KB = 1024 bytes; the source map, when there is one, apart);
 *   - module init: the median, over N fresh `node` processes, of the time of `await import(bundle)` measured
 *     inside the process (performance.now() around the import), with the NODE_OPTIONS the function gets in
 *     Lambda (`--enable-source-maps` only with source maps). Nothing is subtracted;
 *   - the ratio of that median to the median of an empty bundle (`export const handler = async () => ({})`,
 *     bundled with the same options) measured the same way, in the same interleaved rounds.
 *
 *   npx tsx bench/bundles.ts                      # the deployed options
 *   npx tsx bench/bundles.ts --runs 31 --source-maps   # with source maps + --enable-source-maps (the alternative)
 *   npx tsx bench/bundles.ts --root /path/to/other/checkout --legacy   # another checkout, the pre-issue-10 options
 *
 * Figures depend on the machine (Lambda's arm64 is not this laptop); the ratio is what the goal is about
 * (≤ 5× an empty bundle's init, ≤ 400 KB).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { esbuildOptionsOf, lambdaBundling, lambdaNodeOptions } from '../infra/bundling';
import { allFunctionSpecs, repoRoot } from '../infra/constructs/functions';

const run = promisify(execFile);

export const EMPTY_BUNDLE = '(empty bundle)';

export interface BuiltBundle {
  name: string;
  entry: string;
  /** The bundle file (index.mjs). */
  file: string;
  bytes: number;
  /** Bytes of index.mjs.map (0 without source maps). */
  mapBytes: number;
  metafile: Metafile;
}

/** Options of every catalog function before issue 10 (for before/after figures). */
export function legacyBundling(root: string): BundlingOptions {
  return {
    ...lambdaBundling(root, { sourceMaps: true }),
    externalModules: [],
  };
}

/**
 * Bundles every catalog function (and the empty bundle) into `outDir` with `bundling` (default: the deployed
 * options), in parallel, each with its esbuild metafile.
 */
export async function buildBundles(params: {
  outDir: string;
  bundling?: BundlingOptions;
  root?: string;
  names?: string[];
}): Promise<BuiltBundle[]> {
  const root = params.root ?? repoRoot;
  const bundling = params.bundling ?? lambdaBundling(root);
  const emptyEntry = join(params.outDir, 'empty-entry.ts');
  mkdirSync(params.outDir, { recursive: true });
  writeFileSync(emptyEntry, 'export const handler = async () => ({});\n');
  const entries: [string, string][] = [
    [EMPTY_BUNDLE, emptyEntry],
    ...Object.entries(allFunctionSpecs)
      .filter(([name]) => !params.names || params.names.includes(name))
      .map(([name, spec]): [string, string] => [name, join(root, spec.entry)]),
  ];
  return Promise.all(
    entries.map(async ([name, entry]) => {
      const outdir = join(params.outDir, name === EMPTY_BUNDLE ? 'empty' : name);
      const options = esbuildOptionsOf(bundling, entry, outdir);
      const result = await build({ ...options, absWorkingDir: root, metafile: true, logLevel: 'error' });
      const file = options.outfile!;
      let mapBytes = 0;
      try {
        mapBytes = statSync(`${file}.map`).size;
      } catch {
        // no source map
      }
      return { name, entry, file, bytes: statSync(file).size, mapBytes, metafile: result.metafile };
    }),
  );
}

/** Bytes each input contributes to the bundle, by package (`zod`, `@aws-sdk/client-dynamodb`, `zod/locales`, `functions/…`). */
export function bytesByPackage(metafile: Metafile): Record<string, number> {
  const out: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      out[packageOf(path)] = (out[packageOf(path)] ?? 0) + bytesInOutput;
    }
  }
  return out;
}

/** `…/node_modules/@aws-sdk/core/dist-es/x.js` → `@aws-sdk/core`; zod's locales apart; own code by top folder. */
export function packageOf(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  const i = normalized.lastIndexOf('node_modules/');
  if (i < 0) return normalized.split('/').slice(0, 2).join('/');
  const parts = normalized.slice(i + 'node_modules/'.length).split('/');
  const pkg = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  if (pkg === 'zod' && parts.includes('locales')) return 'zod/locales';
  return pkg;
}

/** Zod locale files that contribute bytes to the bundle (`en.js`, …). */
export function zodLocalesIn(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/zod\/(?:.*\/)?locales\/([^/]+)$/.exec(path.replace(/\\/g, '/'));
      if (m && bytesInOutput > 0 && m[1] !== 'index.js') found.add(m[1]);
    }
  }
  return [...found].sort();
}

const IMPORT_TIMER =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

/** ms of `await import(file)` in one fresh node process, with Lambda's NODE_OPTIONS for these bundles. */
async function importMs(file: string, nodeOptions: string | undefined): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_OPTIONS: nodeOptions ?? '',
    AWS_REGION: 'ap-southeast-1',
    POWERTOOLS_SERVICE_NAME: 'bhxh-eservices',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(file).href], { env });
  return Number(stdout);
}

export interface BundleFigures {
  name: string;
  kb: number;
  mapKb: number;
  /** Median init (ms) over the runs. */
  initMs: number;
  /** Interquartile range of the runs (ms). */
  initIqrMs: [number, number];
  /** initMs / the empty bundle's initMs. */
  ratio: number;
  /** KB by package, largest first (top 6). */
  largest: [string, number][];
}

export interface BundleReport {
  runs: number;
  nodeOptions: string;
  sourceMaps: boolean;
  empty: BundleFigures;
  functions: BundleFigures[];
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Builds every bundle and measures it (see the file comment). `runs` fresh processes per bundle, interleaved
 * round by round (every bundle once per round) so that machine noise spreads over all of them alike.
 */
export async function measureBundles(
  options: { runs?: number; sourceMaps?: boolean; bundling?: BundlingOptions; root?: string; names?: string[] } = {},
): Promise<BundleReport> {
  const runs = options.runs ?? 15;
  const root = options.root ?? repoRoot;
  const bundling = options.bundling ?? lambdaBundling(root, { sourceMaps: options.sourceMaps });
  const nodeOptions = lambdaNodeOptions(bundling);
  const outDir = mkdtempSync(join(tmpdir(), 'bhxh-bundles-'));
  try {
    const built = await buildBundles({ outDir, bundling, root, names: options.names });
    const samples = new Map<string, number[]>(built.map((b) => [b.name, []]));
    for (let round = 0; round < runs; round++) {
      for (const b of built) samples.get(b.name)!.push(await importMs(b.file, nodeOptions));
    }
    const median = (name: string) => quantile([...samples.get(name)!].sort((a, b) => a - b), 0.5);
    const emptyMs = median(EMPTY_BUNDLE);
    const figures = built.map((b): BundleFigures => {
      const sorted = [...samples.get(b.name)!].sort((x, y) => x - y);
      const initMs = quantile(sorted, 0.5);
      return {
        name: b.name,
        kb: b.bytes / 1024,
        mapKb: b.mapBytes / 1024,
        initMs,
        initIqrMs: [quantile(sorted, 0.25), quantile(sorted, 0.75)],
        ratio: initMs / emptyMs,
        largest: Object.entries(bytesByPackage(b.metafile))
          .sort((x, y) => y[1] - x[1])
          .slice(0, 6)
          .map(([pkg, bytes]) => [pkg, bytes / 1024]),
      };
    });
    return {
      runs,
      nodeOptions: nodeOptions ?? '',
      sourceMaps: Boolean(bundling.sourceMap),
      empty: figures.find((f) => f.name === EMPTY_BUNDLE)!,
      functions: figures.filter((f) => f.name !== EMPTY_BUNDLE),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The report as text lines (what `npm run bench` and this script print). */
export function formatBundleReport(report: BundleReport): string[] {
  const lines = [
    `Lambda bundles (CDK's options${report.sourceMaps ? ', source maps' : ''}; NODE_OPTIONS=${report.nodeOptions || '(none)'}; init = median of ${report.runs} fresh node processes importing the bundle)`,
    `  ${'function'.padEnd(32)} ${'KB'.padStart(6)} ${report.sourceMaps ? `${'map KB'.padStart(7)} ` : ''}${'init ms'.padStart(8)} ${'IQR'.padStart(11)} ${'× empty'.padStart(8)}  largest parts (KB)`,
  ];
  for (const f of [report.empty, ...report.functions]) {
    lines.push(
      `  ${f.name.padEnd(32)} ${f.kb.toFixed(0).padStart(6)} ${report.sourceMaps ? `${f.mapKb.toFixed(0).padStart(7)} ` : ''}${f.initMs.toFixed(1).padStart(8)} ${`${f.initIqrMs[0].toFixed(1)}–${f.initIqrMs[1].toFixed(1)}`.padStart(11)} ${f.ratio.toFixed(1).padStart(8)}  ${f.largest.map(([p, kb]) => `${p} ${kb.toFixed(0)}`).join(', ')}`,
    );
  }
  const fns = report.functions;
  lines.push(
    `  largest bundle ${Math.max(...fns.map((f) => f.kb)).toFixed(0)} KB (goal ≤ 400); highest init ratio ${Math.max(...fns.map((f) => f.ratio)).toFixed(1)}× empty (goal ≤ 5×)`,
  );
  return lines;
}

// Runnable alone: npx tsx bench/bundles.ts [--runs N] [--source-maps] [--root DIR --legacy] [--json]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '15' },
      'source-maps': { type: 'boolean', default: false },
      root: { type: 'string' },
      legacy: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const root = values.root ? resolve(values.root) + '/' : repoRoot;
  const report = await measureBundles({
    runs: Number(values.runs),
    root,
    bundling: values.legacy ? legacyBundling(root) : lambdaBundling(root, { sourceMaps: values['source-maps'] }),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBundleReport(report).join('\n')}\n`);
}
