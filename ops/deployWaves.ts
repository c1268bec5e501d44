/**
 * Deploying every province (issue 13 item 6): the pilot province first, then the others in waves, stopping at
 * the first failed wave (CloudFormation rolls that stack back; the waves after it are not started).
 *
 *   npm run deploy:waves -- [--pilot 79] [--wave-size 8] [--concurrency 4] [--outputs-file cdk-outputs.json] [--dry-run]
 *
 * Each wave is one `npx cdk deploy -c province=<codes> --require-approval never --concurrency <n>` (stacks of a
 * wave deploy in parallel, `--outputs-file` collects every stack's outputs for `npm run ops`). Order after the
 * pilot: the largest provinces last (Hà Nội 01 and TP.HCM 79 carry the most load; a problem the small ones show
 * stops the rollout before it reaches them), otherwise config/provinces.json order.
 * Before any wave the settings are checked by the synth itself (infra/deploymentSettings.ts refuses placeholders
 * for a real account; infra/indexGuard.ts refuses two index changes on a table).
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { provinces } from '../functions/shared/provinces';

export const LARGEST_LAST = ['01', '79'];

/** The waves: [pilot], then the rest in waves of `waveSize`, the largest provinces (not the pilot) in the last wave. */
export function planWaves(codes: string[], pilot: string, waveSize: number): string[][] {
  if (!codes.includes(pilot)) throw new Error(`--pilot ${pilot} is not a province code of config/provinces.json`);
  if (!Number.isInteger(waveSize) || waveSize < 1) throw new Error(`--wave-size must be a positive integer, got ${waveSize}`);
  const rest = codes.filter((c) => c !== pilot);
  const last = rest.filter((c) => LARGEST_LAST.includes(c));
  const others = rest.filter((c) => !LARGEST_LAST.includes(c));
  const waves: string[][] = [[pilot]];
  for (let i = 0; i < others.length; i += waveSize) waves.push(others.slice(i, i + waveSize));
  if (last.length) waves.push(last);
  return waves;
}

export type Runner = (args: string[]) => number;

const npxCdk: Runner = (args) => spawnSync('npx', ['cdk', ...args], { stdio: 'inherit' }).status ?? 1;

/** Runs the waves in order with `run`; stops at the first that fails. Returns the waves deployed and the failed one. */
export function deployWaves(
  waves: string[][],
  options: { concurrency: number; outputsFile?: string; run?: Runner; print?: (line: string) => void },
): { deployed: string[][]; failed: string[] | null } {
  const run = options.run ?? npxCdk;
  const print = options.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const deployed: string[][] = [];
  for (const [i, wave] of waves.entries()) {
    const args = ['deploy', '-c', `province=${wave.join(',')}`, '--all', '--require-approval', 'never', '--concurrency', String(options.concurrency)];
    if (options.outputsFile) args.push('--outputs-file', options.outputsFile);
    print(`wave ${i + 1}/${waves.length}${i === 0 ? ' (pilot)' : ''}: ${wave.join(', ')}`);
    if (run(args) !== 0) {
      print(`wave ${i + 1} failed: stopping; ${waves.length - i - 1} wave(s) not started (${waves.slice(i + 1).flat().join(', ') || 'none'})`);
      return { deployed, failed: wave };
    }
    deployed.push(wave);
  }
  print(`all ${waves.flat().length} provinces deployed in ${waves.length} waves`);
  return { deployed, failed: null };
}

export function main(argv: string[], run?: Runner, print?: (line: string) => void): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      pilot: { type: 'string', default: '79' },
      'wave-size': { type: 'string', default: '8' },
      concurrency: { type: 'string', default: '4' },
      'outputs-file': { type: 'string', default: 'cdk-outputs.json' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const waves = planWaves(provinces.map((p) => p.code), values.pilot, Number(values['wave-size']));
  if (values['dry-run']) {
    for (const [i, w] of waves.entries()) (print ?? console.log)(`wave ${i + 1}: ${w.join(', ')}`);
    return 0;
  }
  return deployWaves(waves, { concurrency: Number(values.concurrency), outputsFile: values['outputs-file'], run, print }).failed ? 1 : 0;
}

const isMain = (() => {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();
if (isMain) process.exitCode = main(process.argv.slice(2));
