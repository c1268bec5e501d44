/**
 * Lambda bundles as CDK builds them (issue 10, goal 3): every catalog function bundled with the bundling options
 * of infra/constructs/functions.ts (infra/bundling.ts; test/infra/bundles.test.ts checks the translation against
 * CDK's own build), and per function:
 *   - the bundle's size (index.mjs, KB = 1024 bytes; the source map, when there is one, apart);
 *   - module init: the median, over N fresh `node` processes, of `await import(bundle)` measured inside the
 *     process — CPU time (user + system, process.cpuUsage) and wall time (performance.now) — with the
 *     NODE_OPTIONS the function gets in Lambda (`--enable-source-maps` only with source maps). Nothing is
 *     subtracted. The ratio is on CPU time: on a shared machine the wall time mostly measures the other processes;
 *   - the ratio of that median to the median of an empty bundle (`export const handler = async () => ({})`,
 *     bundled with the same options) measured the same way, in the same interleaved rounds.
 *
 *   npx tsx bench/bundles.ts                       # the deployed options
 *   npx tsx bench/bundles.ts --source-maps         # with source maps + --enable-source-maps (the alternative)
 *   npx tsx bench/bundles.ts --compare ../main     # before/after: ../main with the pre-issue-10 options, this
 *                                                  # checkout with and without source maps, interleaved
 *
 * Figures depend on the machine (Lambda's arm64 at 512 MB is not this laptop); the ratio is what the goal is
 * about (≤ 5× an empty bundle's init), with the size (≤ 400 KB).
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
  'const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]); ' +
  'const w = performance.now() - t; const u = process.cpuUsage(c); ' +
  'process.stdout.write(JSON.stringify({ wallMs: w, cpuMs: (u.user + u.system) / 1000 }));';

interface InitSample {
  wallMs: number;
  cpuMs: number;
}

/** One fresh node process importing `file`, with Lambda's NODE_OPTIONS for these bundles: wall and CPU ms. */
async function importSample(file: string, nodeOptions: string | undefined): Promise<InitSample> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_OPTIONS: nodeOptions ?? '',
    AWS_REGION: 'ap-southeast-1',
    POWERTOOLS_SERVICE_NAME: 'bhxh-eservices',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(file).href], { env });
  return JSON.parse(stdout) as InitSample;
}

export interface BundleFigures {
  name: string;
  kb: number;
  mapKb: number;
  /** Median CPU time (user + system) of the import over the runs, ms: what the ratio is computed on. */
  initMs: number;
  /** Interquartile range of the CPU times (ms). */
  initIqrMs: [number, number];
  /** Median wall time of the import (ms): on a busy machine it mostly measures the other processes. */
  wallMs: number;
  /** initMs / the empty bundle's initMs. */
  ratio: number;
  /** KB by package, largest first (top 6). */
  largest: [string, number][];
}

export interface BundleReport {
  label: string;
  runs: number;
  nodeOptions: string;
  sourceMaps: boolean;
  empty: BundleFigures;
  functions: BundleFigures[];
}

export interface BundleVariant {
  label: string;
  bundling: BundlingOptions;
  /** Checkout whose functions are bundled (default this one). */
  root?: string;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Builds every bundle of each variant and measures them (see the file comment): `runs` fresh processes per
 * bundle, interleaved round by round (every bundle of every variant once per round) so that the machine's
 * noise spreads over all of them alike. Init is the CPU time of the import (user + system), which the other
 * processes of a shared machine disturb far less than the wall time (also reported).
 */
export async function compareBundles(variants: BundleVariant[], options: { runs?: number; names?: string[] } = {}): Promise<BundleReport[]> {
  const runs = options.runs ?? 15;
  const outDir = mkdtempSync(join(tmpdir(), 'bhxh-bundles-'));
  try {
    const built = await Promise.all(
      variants.map((v, i) => buildBundles({ outDir: join(outDir, String(i)), bundling: v.bundling, root: v.root, names: options.names })),
    );
    const samples = built.map((bs) => new Map<string, InitSample[]>(bs.map((b) => [b.name, []])));
    for (let round = 0; round < runs; round++) {
      for (const [i, bs] of built.entries()) {
        const nodeOptions = lambdaNodeOptions(variants[i].bundling);
        for (const b of bs) samples[i].get(b.name)!.push(await importSample(b.file, nodeOptions));
      }
    }
    return variants.map((v, i): BundleReport => {
      const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
      const emptyCpu = median(samples[i].get(EMPTY_BUNDLE)!.map((s) => s.cpuMs));
      const figures = built[i].map((b): BundleFigures => {
        const cpu = [...samples[i].get(b.name)!.map((s) => s.cpuMs)].sort((x, y) => x - y);
        const initMs = quantile(cpu, 0.5);
        return {
          name: b.name,
          kb: b.bytes / 1024,
          mapKb: b.mapBytes / 1024,
          initMs,
          initIqrMs: [quantile(cpu, 0.25), quantile(cpu, 0.75)],
          wallMs: median(samples[i].get(b.name)!.map((s) => s.wallMs)),
          ratio: initMs / emptyCpu,
          largest: Object.entries(bytesByPackage(b.metafile))
            .filter(() => b.name !== EMPTY_BUNDLE)
            .sort((x, y) => y[1] - x[1])
            .slice(0, 6)
            .map(([pkg, bytes]) => [pkg, bytes / 1024]),
        };
      });
      return {
        label: v.label,
        runs,
        nodeOptions: lambdaNodeOptions(v.bundling) ?? '',
        sourceMaps: Boolean(v.bundling.sourceMap),
        empty: figures.find((f) => f.name === EMPTY_BUNDLE)!,
        functions: figures.filter((f) => f.name !== EMPTY_BUNDLE),
      };
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The deployed bundles (infra/constructs/functions.ts), measured; what `npm run bench` calls. */
export async function measureBundles(options: { runs?: number; sourceMaps?: boolean; names?: string[] } = {}): Promise<BundleReport> {
  const label = options.sourceMaps ? 'with source maps' : 'deployed options';
  const [report] = await compareBundles([{ label, bundling: lambdaBundling(repoRoot, { sourceMaps: options.sourceMaps }) }], options);
  return report;
}

/** The report as text lines (what `npm run bench` and this script print). */
export function formatBundleReport(report: BundleReport): string[] {
  const lines = [
    `Lambda bundles, ${report.label} (NODE_OPTIONS=${report.nodeOptions || '(none)'}; init = median CPU ms of importing the bundle in ${report.runs} fresh node processes)`,
    `  ${'function'.padEnd(32)} ${'KB'.padStart(5)} ${report.sourceMaps ? `${'map KB'.padStart(6)} ` : ''}${'init ms'.padStart(8)} ${'IQR'.padStart(11)} ${'wall ms'.padStart(8)} ${'× empty'.padStart(8)}  largest parts (KB)`,
  ];
  for (const f of [report.empty, ...report.functions]) {
    lines.push(
      `  ${f.name.padEnd(32)} ${f.kb.toFixed(0).padStart(5)} ${report.sourceMaps ? `${f.mapKb.toFixed(0).padStart(6)} ` : ''}${f.initMs.toFixed(1).padStart(8)} ${`${f.initIqrMs[0].toFixed(1)}–${f.initIqrMs[1].toFixed(1)}`.padStart(11)} ${f.wallMs.toFixed(1).padStart(8)} ${f.ratio.toFixed(1).padStart(8)}  ${f.largest.map(([p, kb]) => `${p} ${kb.toFixed(0)}`).join(', ')}`,
    );
  }
  const fns = report.functions;
  lines.push(
    `  largest bundle ${Math.max(...fns.map((f) => f.kb)).toFixed(0)} KB (goal ≤ 400); highest init ratio ${Math.max(...fns.map((f) => f.ratio)).toFixed(1)}× empty (goal ≤ 5×)`,
  );
  return lines;
}

// Runnable alone: npx tsx bench/bundles.ts [--runs N] [--source-maps] [--compare DIR…] [--json]
//   --compare: this checkout with and without source maps, and each DIR (another checkout, e.g. main before
//   issue 10) with the pre-issue-10 options (legacyBundling), all measured interleaved in the same rounds.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { parseArgs } = await import('node:util');
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '15' },
      'source-maps': { type: 'boolean', default: false },
      compare: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const reports = values.compare
    ? await compareBundles(
        [
          ...positionals.map((dir) => {
            const root = resolve(dir) + '/';
            return { label: `${dir}, pre-issue-10 options`, bundling: legacyBundling(root), root };
          }),
          { label: 'deployed options', bundling: lambdaBundling(repoRoot) },
          { label: 'deployed options + source maps', bundling: lambdaBundling(repoRoot, { sourceMaps: true }) },
        ],
        { runs },
      )
    : [await measureBundles({ runs, sourceMaps: values['source-maps'] })];
  process.stdout.write(values.json ? `${JSON.stringify(reports, null, 2)}\n` : `${reports.flatMap((r) => [...formatBundleReport(r), '']).join('\n')}`);
}
