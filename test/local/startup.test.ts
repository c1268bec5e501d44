/**
 * `npm start`'s start-up (local/runtime.ts startLocalSystem): every stage is reported in order with its duration,
 * and a start that fails names the failing stage, stops DynamoDB Local's JVM and leaves nothing listening.
 * No assertion depends on how long a stage takes (only that a duration is reported).
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LocalStartError, startLocalSystem, type StageName, type StageReport, type StageReporter } from '../../local/runtime';
import { buildConsole } from '../../console/build';

function recorder() {
  const done: StageReport[] = [];
  const failed: { stage: StageName; ms: number; error: Error }[] = [];
  const reporter: StageReporter = {
    done: (r) => done.push(r),
    failed: (stage, ms, error) => failed.push({ stage, ms, error }),
  };
  return { done, failed, reporter };
}

/** Resolves true if something accepts a TCP connection on the URL's port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const c = connect({ host: hostname, port: Number(port) });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const tmp = mkdtempSync(path.join(tmpdir(), 'bhxh-startup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the stage reporter', () => {
  it('reports every stage in order, each with a numeric duration, the API last', async () => {
    const { done, failed, reporter } = recorder();
    const system = await startLocalSystem({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tablePrefix: `startup-${randomUUID().slice(0, 8)}`,
      scheduleEveryMs: 0,
      buildConsole: () => buildConsole({ outDir: path.join(tmp, 'console'), minify: false }),
      reporter,
    });
    try {
      expect(done.map((r) => r.stage)).toEqual([
        'DynamoDB Local',
        'tables',
        'seed data',
        'registry simulator',
        'Step Functions engine',
        'console build',
        'API',
      ]);
      for (const r of done) {
        expect(typeof r.ms, r.stage).toBe('number');
        expect(Number.isFinite(r.ms) && r.ms >= 0, r.stage).toBe(true);
      }
      expect(failed).toEqual([]);
      expect(done.find((r) => r.stage === 'tables')?.note).toBe('created 4');
      expect(done.find((r) => r.stage === 'DynamoDB Local')?.note).toBe('already running');
      expect(done.find((r) => r.stage === 'API')?.url).toBe(system.apiUrl);
      expect(done.find((r) => r.stage === 'registry simulator')?.url).toBe(system.registryUrl);
      expect(done.find((r) => r.stage === 'Step Functions engine')?.url).toBe(system.sfnUrl);
      expect(system.freshData).toBe(true);
      expect(existsSync(path.join(tmp, 'console', 'index.html'))).toBe(true);
      // The console built by the stage is the one served.
      const page = await fetch(`${system.apiUrl}/console/`);
      expect(page.status).toBe(200);
    } finally {
      await system.stop();
    }
  });

  it('is optional: without a reporter the start is quiet and works', async () => {
    const system = await startLocalSystem({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tablePrefix: `startup-${randomUUID().slice(0, 8)}`,
      scheduleEveryMs: 0,
    });
    try {
      const res = await fetch(`${system.apiUrl}/v1/health`);
      expect(res.status).toBe(200);
    } finally {
      await system.stop();
    }
  });
});

describe('a start that fails', () => {
  let busy: Server | undefined;
  afterAll(() => busy?.close());

  it('at the API (its port is taken): names the stage, stops the DynamoDB Local JVM it started, leaves nothing listening', async () => {
    busy = createServer();
    const busyPort = await new Promise<number>((resolve) => busy!.listen(0, '127.0.0.1', () => resolve((busy!.address() as { port: number }).port)));
    const { done, failed, reporter } = recorder();

    const error = await startLocalSystem({
      apiPort: busyPort,
      tablePrefix: `startup-${randomUUID().slice(0, 8)}`,
      scheduleEveryMs: 0,
      reporter,
    }).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(LocalStartError);
    expect((error as LocalStartError).stage).toBe('API');
    expect((error as LocalStartError).message).toMatch(/^API failed: .*EADDRINUSE/);
    expect(((error as LocalStartError).cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    expect(failed.map((f) => f.stage)).toEqual(['API']);
    expect(done.map((r) => r.stage)).toEqual(['DynamoDB Local', 'tables', 'seed data', 'registry simulator', 'Step Functions engine']);

    // DynamoDB Local was started by this call (its own JVM): that process is gone, its port closed.
    const dynamo = done.find((r) => r.stage === 'DynamoDB Local')!;
    expect(dynamo.pid).toBeGreaterThan(0);
    expect(processAlive(dynamo.pid!)).toBe(false);
    expect(existsSync(`/proc/${dynamo.pid}`)).toBe(false);
    // Nothing that was started is left listening.
    const urls = done.map((r) => r.url).filter((u): u is string => !!u);
    expect(urls).toHaveLength(3); // DynamoDB Local, the registry simulator, the Step Functions endpoint
    for (const url of urls) expect(await listening(url), url).toBe(false);
    // The port that was in use is still the other owner's.
    expect(await listening(`http://127.0.0.1:${busyPort}`)).toBe(true);
  }, 240_000);

  it('at the seed (a missing file): names the stage before anything is started', async () => {
    const { done, failed, reporter } = recorder();
    const missing = path.join(tmp, 'no-such-seed.json');
    const error = await startLocalSystem({ seedFile: missing, scheduleEveryMs: 0, reporter }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LocalStartError);
    expect((error as LocalStartError).stage).toBe('seed data');
    expect((error as LocalStartError).message).toContain('no-such-seed.json');
    expect(done).toEqual([]);
    expect(failed.map((f) => f.stage)).toEqual(['seed data']);
  });
});
