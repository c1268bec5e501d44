/**
 * Local stand-in for the national population registry (CSDLQG về dân cư) gateway, on node:http only.
 * Serves the paths the real gateway is modelled by (docs/design.md, "Population registry"):
 *
 * - `GET /v1/citizens/{personalId}` → 200 RegistryPerson | 404. Household members whose identity is not
 *   linked (identityLinked false) are not citizens here: 404 (how "child under 6 not yet registered" looks).
 * - `GET /v1/households?headPersonalId={id}` → 200 RegistryHousehold (all members, head included) | 404;
 *   400 without headPersonalId.
 * - `GET /_faults` → the current faults; `PUT /_faults` with a partial Faults → merged, returns the result.
 *
 * Faults apply to the two registry routes, in this order: an ID in `timeoutIds` (the citizen, or the
 * household head) gets no answer: the socket is held, and after 30 s the gateway gives up with 504; the held
 * request is dropped as soon as the client goes away or the simulator stops. Then `latencyMs` delays the
 * answer, then `failNext` (the next N requests) and `errorRate` (share of requests, RNG seeded by `seed`)
 * answer 503.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { faultsPatchSchema, type Faults, type SeedPopulation } from '../seed/seedFormat';

export type { Faults, SeedPopulation } from '../seed/seedFormat';

export interface RegistrySimulatorOptions {
  /** 0 (default) = a free port chosen by the OS. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  population: SeedPopulation;
  faults?: Partial<Faults>;
  /**
   * How long a timeout ID's request is held before the simulated gateway answers 504 (default HOLD_MS). Tests
   * set 0: the timeout then happens on purpose at once (the client's retry and RegistryUnavailable paths run)
   * instead of depending on how fast a loaded machine reaches the client's own per-attempt timeout.
   */
  timeoutHoldMs?: number;
}

export interface RegistrySimulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (what POPULATION_REGISTRY_URL is set to). */
  url: string;
  /** Merges a partial update into the faults (same as PUT /_faults). A new `seed` restarts the RNG. */
  setFaults(f: Partial<Faults>): void;
  /** The faults in force. */
  faults(): Faults;
  /** Registry requests received so far (/_faults excluded), answered or not. */
  requestCount(): number;
  /** Drops held and delayed requests, closes every connection and the server. */
  stop(): Promise<void>;
}

/** How long a request about a timeout ID is held before the simulated gateway answers 504. */
export const HOLD_MS = 30_000;

const MAX_BODY_BYTES = 64 * 1024;

/** mulberry32: small, fast, deterministic. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startRegistrySimulator(options: RegistrySimulatorOptions): Promise<RegistrySimulator> {
  const { population } = options;
  let faults: Faults = { latencyMs: 0, errorRate: 0, timeoutIds: [] };
  let random: () => number = Math.random;
  let requests = 0;
  let stopping = false;
  /** Requests waiting (held for a timeout ID, or delayed by latency): timer + response, to clean up. */
  const pending = new Set<{ timer: NodeJS.Timeout; res: ServerResponse }>();

  function applyFaults(patch: Partial<Faults>): void {
    const parsed = faultsPatchSchema.parse(patch);
    const next: Faults = { ...faults };
    for (const [key, value] of Object.entries(parsed)) {
      if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
    }
    next.timeoutIds = [...next.timeoutIds];
    faults = next;
    if (parsed.seed !== undefined) random = seededRandom(parsed.seed);
  }
  if (options.faults) applyFaults(options.faults);

  /** Waits `ms` unless the client goes away or the simulator stops; resolves false then. */
  function wait(res: ServerResponse, ms: number, onElapsed?: () => void): Promise<boolean> {
    return new Promise((resolve) => {
      const entry = {
        res,
        timer: setTimeout(() => {
          pending.delete(entry);
          res.off('close', onClose);
          onElapsed?.();
          resolve(!res.destroyed);
        }, ms),
      };
      const onClose = () => {
        clearTimeout(entry.timer);
        pending.delete(entry);
        resolve(false);
      };
      pending.add(entry);
      res.once('close', onClose);
    });
  }

  async function answerRegistry(res: ServerResponse, subjectId: string, answer: () => [number, unknown]): Promise<void> {
    requests += 1;
    if (faults.timeoutIds.includes(subjectId)) {
      // Hold the socket: no answer until the simulated gateway gives up (or the client / simulator goes away).
      await wait(res, options.timeoutHoldMs ?? HOLD_MS, () => send(res, 504, { code: 'GATEWAY_TIMEOUT', message: 'Upstream registry did not answer' }));
      return;
    }
    if (faults.latencyMs > 0 && !(await wait(res, faults.latencyMs))) return;
    if (faults.failNext && faults.failNext > 0) {
      faults = { ...faults, failNext: faults.failNext - 1 };
      send(res, 503, { code: 'SERVICE_UNAVAILABLE', message: 'Registry temporarily unavailable (injected)' });
      return;
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      send(res, 503, { code: 'SERVICE_UNAVAILABLE', message: 'Registry temporarily unavailable (injected)' });
      return;
    }
    const [status, body] = answer();
    send(res, status, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry.local');
    const path = url.pathname;

    if (path === '/_faults') {
      if (req.method === 'GET') return send(res, 200, faults);
      if (req.method === 'PUT') {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return send(res, 400, { code: 'MALFORMED_JSON', message: 'Body must be a JSON object of faults' });
        }
        const parsed = faultsPatchSchema.safeParse(body);
        if (!parsed.success) {
          return send(res, 400, {
            code: 'VALIDATION_FAILED',
            issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
        }
        applyFaults(parsed.data as Partial<Faults>);
        return send(res, 200, faults);
      }
      return send(res, 405, { code: 'METHOD_NOT_ALLOWED' }, { allow: 'GET, PUT' });
    }

    const citizen = /^\/v1\/citizens\/([^/]+)$/.exec(path);
    if (citizen) {
      if (req.method !== 'GET') return send(res, 405, { code: 'METHOD_NOT_ALLOWED' }, { allow: 'GET' });
      let id: string;
      try {
        id = decodeURIComponent(citizen[1]);
      } catch {
        return send(res, 400, { code: 'BAD_REQUEST', message: 'Malformed personal ID in the path' });
      }
      return answerRegistry(res, id, () => {
        const person = population.citizens.get(id);
        return person ? [200, person] : [404, { code: 'CITIZEN_NOT_FOUND' }];
      });
    }

    if (path === '/v1/households') {
      if (req.method !== 'GET') return send(res, 405, { code: 'METHOD_NOT_ALLOWED' }, { allow: 'GET' });
      const head = url.searchParams.get('headPersonalId');
      if (!head) return send(res, 400, { code: 'BAD_REQUEST', message: 'headPersonalId is required' });
      return answerRegistry(res, head, () => {
        const household = population.householdsByHead.get(head);
        return household ? [200, household] : [404, { code: 'HOUSEHOLD_NOT_FOUND' }];
      });
    }

    return send(res, 404, { code: 'ROUTE_NOT_FOUND' });
  }

  const server = createServer((req, res) => {
    if (stopping) {
      res.destroy();
      return;
    }
    handle(req, res).catch((err: unknown) => {
      send(res, 500, { code: 'SIMULATOR_ERROR', message: (err as Error).message });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    setFaults: (f) => applyFaults(f),
    faults: () => ({ ...faults, timeoutIds: [...faults.timeoutIds] }),
    requestCount: () => requests,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.res.destroy();
      }
      pending.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
