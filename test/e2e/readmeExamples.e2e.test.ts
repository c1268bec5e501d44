/**
 * Every runnable README example runs as written (issue 11): the `sh` blocks marked `<!-- runnable -->` in the
 * README's API section are run in order, in one bash, against the local system (the demo seed, as `npm start`),
 * with `localhost:3000` pointed at its port — nothing else in them is changed. The system runs at the demo clock
 * (`npm start -- --now 2026-11-22T09:00:00+07:00`, the day the seed's figures are stated for), and the shell's
 * `date` tells that shifted time, as the README asks of a reader who starts it so. Each `curl` of a block is
 * followed by a `# <status> …` comment: the status the last curl before that comment answered must be that one.
 * A block that fails (a command exits non-zero under `set -e`) fails the test with its output. Every answer the
 * examples get is also validated against the OpenAPI document, as the other end-to-end tests' answers are: the
 * README and the document agree.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime';
import { startTestSystem } from '../support/localSystem';
import { DEMO_NOW } from '../support/serviceScenarios';
import { assertDocumentedResponse } from '../support/openApiValidation';

/** The runnable blocks of a README: the body of each ```sh block right after a `<!-- runnable -->` line. */
export function runnableBlocks(readme: string): string[] {
  return [...readme.matchAll(/^<!-- runnable -->\n```sh\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
}

/**
 * One bash script of the blocks: `curl` keeps each answer's body in a file of `responseDir` and reports it on
 * stderr (`@@HTTP <status> <method> <url> <file> <content type>`) before printing the body as curl would; every
 * `# <status>` comment line is followed by a marker (`@@EXPECT <block> <line> <status>`) the test checks it with.
 */
export function scriptOf(blocks: string[], apiUrl: string, responseDir: string, clockOffsetSeconds = 0): string {
  const host = new URL(apiUrl).host;
  const lines = [
    'set -e',
    // The system's shifted clock (npm start --now): `date` tells it (`date +%s`, `date -u +…`).
    `date() { command date -d "@$(( $(command date +%s) + ${clockOffsetSeconds} ))" "$@"; }`,
    `curl() { local f; f=$(mktemp "${responseDir}/answer.XXXXXX"); command curl -o "$f" -w "%{stderr}@@HTTP %{http_code} %{method} %{url_effective} $f %{content_type}\\n" "$@"; cat "$f"; }`,
  ];
  blocks.forEach((block, b) => {
    block.split('\n').forEach((line, l) => {
      lines.push(line.replaceAll('localhost:3000', host));
      const expected = /^# (\d{3})\b/.exec(line);
      if (expected) lines.push(`echo "@@EXPECT ${b + 1} ${l + 1} ${expected[1]}" >&2`);
    });
  });
  return `${lines.join('\n')}\n`;
}

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous: the local system answers the script's requests from this very process.
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Answer {
  status: number;
  method: string;
  url: string;
  file: string;
  contentType: string;
}

function answersOf(stderr: string): Answer[] {
  return [...stderr.matchAll(/^@@HTTP (\d{3}) (\S+) (\S+) (\S+) ?(.*)$/gm)].map((m) => ({
    status: Number(m[1]),
    method: m[2],
    url: m[3],
    file: m[4],
    contentType: m[5],
  }));
}

/** Each expectation with the status of the last curl before it (null: no curl ran since the previous one). */
function checks(stderr: string): { where: string; expected: number; got: number | null }[] {
  const out: { where: string; expected: number; got: number | null }[] = [];
  let last: number | null = null;
  for (const line of stderr.split('\n')) {
    const http = /@@HTTP (\d{3})/.exec(line);
    if (http) last = Number(http[1]);
    const expect = /^@@EXPECT (\d+) (\d+) (\d{3})$/.exec(line);
    if (expect) {
      out.push({ where: `block ${expect[1]} line ${expect[2]}`, expected: Number(expect[3]), got: last });
      last = null;
    }
  }
  return out;
}

const blocks = runnableBlocks(readFileSync('README.md', 'utf8'));
let system: LocalSystem;
let responseDir: string;

beforeAll(async () => {
  responseDir = mkdtempSync(path.join(tmpdir(), 'readme-examples-'));
  system = await startTestSystem({ now: DEMO_NOW });
}, 90_000);
afterAll(async () => {
  await system?.stop();
  rmSync(responseDir, { recursive: true, force: true });
});

describe('the README examples', () => {
  it('are marked: the API section has runnable blocks, each curl followed by its status', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) {
      const curls = block.split('\n').filter((l) => /(^|\$\(|until )curl /.test(l.trim())).length;
      const statuses = block.split('\n').filter((l) => /^# \d{3}\b/.test(l)).length;
      expect(statuses, block).toBe(curls);
    }
  });

  it('run as written against the local system, each curl answering the status the README states', async () => {
    const offsetSeconds = Math.round(Number(process.env.CLOCK_OFFSET_MS ?? 0) / 1000);
    const { code, stdout, stderr } = await run(scriptOf(blocks, system.apiUrl, responseDir, offsetSeconds));
    const found = checks(stderr);
    const context = `exit ${code}\n--- stdout (end)\n${stdout.slice(-1500)}\n--- stderr (end)\n${stderr.slice(-1500)}`;
    expect(code, context).toBe(0);
    expect(found.length, context).toBe(blocks.reduce((n, b) => n + b.split('\n').filter((l) => /^# \d{3}\b/.test(l)).length, 0));
    expect(found.filter((c) => c.got !== c.expected), context).toEqual([]);
    // Every answer is one the OpenAPI document describes.
    const answers = answersOf(stderr);
    expect(answers.length).toBeGreaterThanOrEqual(found.length);
    for (const a of answers) {
      const text = readFileSync(a.file, 'utf8');
      const body = a.contentType.includes('json') && text ? JSON.parse(text) : text;
      const url = new URL(a.url);
      expect(() => assertDocumentedResponse(a.method, url.pathname + url.search, a.status, a.contentType || null, body)).not.toThrow();
    }
    // What the examples show is what they got: the payment applied, the worked example's application completed.
    expect(stdout).toContain('"outcome":"APPLIED"');
    expect(stdout).toContain('"status":"COMPLETED"');
    expect(stdout).toContain('"code":"ITEM_ALREADY_CLAIMED"');
    // The worked examples' figures, as the README shows them.
    expect(stdout).toContain('"total":3825360');
    expect(stdout).toContain('"estimatedMonthlyBenefit":12000000');
    expect(stdout).toContain('"amount":78384375');
  }, 180_000);
});
