/**
 * Population registry (CSDLQG về dân cư) port and its HTTP adapter (docs/design.md, "Population registry").
 *
 * - `GET {baseUrl}/v1/citizens/{personalId}` → RegistryPerson | 404 → null
 * - `GET {baseUrl}/v1/households?headPersonalId={id}` → RegistryHousehold (head included) | 404 → null
 *
 * Every attempt has its own timeout (AbortController, covering headers and body). Timeouts, network errors,
 * 5xx and 429 are retried with exponential backoff and full jitter, for a bounded number of attempts; after
 * the last one the adapter throws RegistryUnavailableError (`name === 'RegistryUnavailable'`, which the ASL
 * Retry/Catch match). An answer that is not the documented shape is also RegistryUnavailableError (with the
 * cause), without retrying: asking again would get the same answer. Any other 4xx means this client built a
 * wrong request: a plain Error (a bug, never retried). Personal IDs are only ever logged masked.
 */
import * as z from 'zod';
import type { RegistryHousehold, RegistryPerson } from '../domain/types';
import { config } from '../shared/config';
import { RegistryUnavailableError } from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';

export interface PopulationRegistry {
  /** null = the registry does not know this personal ID (404). */
  findPerson(personalId: string): Promise<RegistryPerson | null>;
  /** The household whose head has this personal ID, members including the head; null = none (404). */
  findHouseholdByHead(headPersonalId: string): Promise<RegistryHousehold | null>;
}

// ---------------------------------------------------------------------------------------------------------
// Response schemas: what we rely on is checked; unknown extra fields are ignored (stripped).

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const addressSchema = z.object({ code: z.string().min(1), text: z.string() });

const personShape = {
  personalId: z.string().min(1),
  fullName: z.string().min(1),
  dateOfBirth: dateSchema,
  sex: z.enum(['MALE', 'FEMALE']),
  permanentAddress: addressSchema.optional(),
  temporaryAddress: addressSchema.optional(),
  householdId: z.string().min(1).optional(),
};

export const registryPersonResponseSchema = z.object(personShape);

export const registryHouseholdResponseSchema = z.object({
  householdId: z.string().min(1),
  headPersonalId: z.string().min(1),
  address: addressSchema,
  members: z
    .array(z.object({ ...personShape, relationToHead: z.string().min(1), identityLinked: z.boolean() }))
    .min(1),
});

// ---------------------------------------------------------------------------------------------------------

export interface HttpPopulationRegistryOptions {
  /** Gateway base URL. Default: config.populationRegistryUrl() (POPULATION_REGISTRY_URL). */
  baseUrl?: string;
  /** Per-attempt timeout. Default: config.populationRegistryTimeoutMs(). */
  timeoutMs?: number;
  /** Attempts in all (1 = no retry). Default: config.populationRegistryMaxAttempts(). */
  maxAttempts?: number;
  /** First backoff ceiling; doubles each retry. Default 100 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling cap. Default 1000 ms. */
  maxDelayMs?: number;
  /** Injected for tests. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests: [0, 1). Default Math.random (full jitter). */
  random?: () => number;
  /** Injected for tests. Default: the global fetch. */
  fetch?: typeof fetch;
}

type Operation = 'findPerson' | 'findHouseholdByHead';

type AttemptResult = { kind: 'answer'; status: number; body: string } | { kind: 'failed'; reason: string };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`Population registry ${name} must be a positive integer, got ${value}`);
  return value;
}

export class HttpPopulationRegistry implements PopulationRegistry {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HttpPopulationRegistryOptions = {}) {
    this.baseUrl = (options.baseUrl ?? config.populationRegistryUrl()).replace(/\/+$/, '');
    this.timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? config.populationRegistryTimeoutMs());
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? config.populationRegistryMaxAttempts());
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async findPerson(personalId: string): Promise<RegistryPerson | null> {
    const person = await this.get(
      'findPerson',
      personalId,
      `/v1/citizens/${encodeURIComponent(personalId)}`,
      registryPersonResponseSchema,
    );
    if (person && person.personalId !== personalId) {
      throw this.malformed('findPerson', personalId, 'answered about another personal ID');
    }
    return person;
  }

  async findHouseholdByHead(headPersonalId: string): Promise<RegistryHousehold | null> {
    const household = await this.get(
      'findHouseholdByHead',
      headPersonalId,
      `/v1/households?headPersonalId=${encodeURIComponent(headPersonalId)}`,
      registryHouseholdResponseSchema,
    );
    if (household && household.headPersonalId !== headPersonalId) {
      throw this.malformed('findHouseholdByHead', headPersonalId, 'answered with the household of another head');
    }
    return household;
  }

  /** Full jitter: uniform in [0, min(cap, base × 2^(retry-1))]. */
  private backoffMs(retry: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (retry - 1));
    return Math.floor(this.random() * ceiling);
  }

  private async get<S extends z.ZodType>(op: Operation, personalId: string, path: string, schema: S): Promise<z.output<S> | null> {
    const url = `${this.baseUrl}${path}`;
    const masked = maskPersonalId(personalId);
    let lastReason = 'no attempt made';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const started = Date.now();
      const result = await this.attempt(url);
      if (result.kind === 'answer') {
        const { status, body } = result;
        if (status === 404) {
          logger.debug('Population registry: not found', { operation: op, personalId: masked, attempt });
          return null;
        }
        if (status >= 200 && status < 300) {
          const value = this.parse(op, personalId, body, schema);
          logger.debug('Population registry answered', { operation: op, personalId: masked, attempt, durationMs: Date.now() - started });
          return value;
        }
        if (status < 500 && status !== 429) {
          // 400, 401, 403, 405, …: this client sent something the gateway refuses. Retrying cannot help.
          logger.error('Population registry refused the request', { operation: op, personalId: masked, status });
          throw new Error(`Population registry refused ${op}: HTTP ${status}`);
        }
        lastReason = `HTTP ${status}`;
      } else {
        lastReason = result.reason;
      }
      logger.warn('Population registry attempt failed', {
        operation: op,
        personalId: masked,
        attempt,
        maxAttempts: this.maxAttempts,
        reason: lastReason,
        durationMs: Date.now() - started,
      });
      if (attempt < this.maxAttempts) await this.sleep(this.backoffMs(attempt));
    }
    logger.warn('Population registry unavailable', { operation: op, personalId: masked, attempts: this.maxAttempts, reason: lastReason });
    throw new RegistryUnavailableError(`${op}: ${lastReason} (after ${this.maxAttempts} attempt${this.maxAttempts === 1 ? '' : 's'})`);
  }

  /** One request, headers and body within the per-attempt timeout. Never throws. */
  private async attempt(url: string): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const res = await this.fetchImpl(url, {
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      const body = await res.text();
      return { kind: 'answer', status: res.status, body };
    } catch (err) {
      if (timedOut) return { kind: 'failed', reason: `no answer within ${this.timeoutMs} ms` };
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const detail = e.cause?.code ?? e.cause?.message ?? e.message;
      return { kind: 'failed', reason: `network error (${detail})` };
    } finally {
      clearTimeout(timer);
    }
  }

  private parse<S extends z.ZodType>(op: Operation, personalId: string, body: string, schema: S): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw this.malformed(op, personalId, 'answer is not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // Paths and messages only: zod issue messages do not echo the (personal) values.
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw this.malformed(op, personalId, `answer does not match the contract (${issues})`);
    }
    return parsed.data;
  }

  private malformed(op: Operation, personalId: string, what: string): RegistryUnavailableError {
    logger.error('Population registry answered malformed data', { operation: op, personalId: maskPersonalId(personalId), problem: what });
    return new RegistryUnavailableError(`${op}: malformed registry answer: ${what}`);
  }
}

let shared: { key: string; registry: HttpPopulationRegistry } | undefined;

/**
 * The process-wide registry client, built from config (POPULATION_REGISTRY_URL, _TIMEOUT_MS, _MAX_ATTEMPTS).
 * Rebuilt only if that configuration changes (tests and the local runtime set it per run).
 */
export function populationRegistry(): PopulationRegistry {
  const baseUrl = config.populationRegistryUrl();
  const timeoutMs = config.populationRegistryTimeoutMs();
  const maxAttempts = config.populationRegistryMaxAttempts();
  const key = `${baseUrl}|${timeoutMs}|${maxAttempts}`;
  if (!shared || shared.key !== key) {
    shared = { key, registry: new HttpPopulationRegistry({ baseUrl, timeoutMs, maxAttempts }) };
  }
  return shared.registry;
}
