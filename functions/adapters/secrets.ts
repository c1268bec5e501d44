/**
 * Secrets. In AWS the stack passes the ARN of a Secrets Manager secret (PAYMENT_WEBHOOK_SECRET_ARN) and the
 * value is read once per container; a deployment without Secrets Manager (the local runtime, a test) passes
 * the value itself in PAYMENT_WEBHOOK_SECRET (and, while rotating, the old one in
 * PAYMENT_WEBHOOK_SECRET_PREVIOUS). Both are configuration: the code path is the same.
 *
 * Rotation: the Secrets Manager value is either the secret itself (a plain string) or JSON
 * `{ "current": "...", "previous": "..." }`. A callback signed with either is accepted, so the gateway can
 * switch to the new secret at its own pace; remove `previous` once it has. The value is re-read every 5 minutes,
 * so a rotation reaches warm containers without a redeploy.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface WebhookSecrets {
  current: string;
  previous?: string;
}

/** How long a container keeps the value read from Secrets Manager: a rotation reaches it within this time. */
const CACHE_MS = 5 * 60 * 1000;

let cached: { arn: string; at: number; value: Promise<WebhookSecrets> } | undefined;

/** Parses a Secrets Manager value: a plain string, or JSON { current, previous? }. */
export function parseWebhookSecret(value: string): WebhookSecrets {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    let json: { current?: unknown; previous?: unknown };
    try {
      json = JSON.parse(trimmed) as { current?: unknown; previous?: unknown };
    } catch {
      throw new Error('The payment webhook secret looks like JSON but does not parse');
    }
    if (typeof json.current !== 'string' || json.current === '') throw new Error('The payment webhook secret JSON has no "current"');
    return typeof json.previous === 'string' && json.previous !== '' ? { current: json.current, previous: json.previous } : { current: json.current };
  }
  return { current: value };
}

/** The secrets a callback signature may be made with: the current one, then the previous one (rotation). */
export async function paymentWebhookSecrets(): Promise<string[]> {
  const direct = process.env.PAYMENT_WEBHOOK_SECRET;
  if (direct) {
    const previous = process.env.PAYMENT_WEBHOOK_SECRET_PREVIOUS;
    return previous ? [direct, previous] : [direct];
  }
  const arn = process.env.PAYMENT_WEBHOOK_SECRET_ARN;
  if (!arn) throw new Error('Missing environment variable PAYMENT_WEBHOOK_SECRET_ARN (or PAYMENT_WEBHOOK_SECRET)');
  if (cached?.arn !== arn || Date.now() - cached.at > CACHE_MS) {
    const value = new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: arn }))
      .then((out) => {
        if (!out.SecretString) throw new Error('The payment webhook secret has no string value');
        return parseWebhookSecret(out.SecretString);
      });
    value.catch(() => {
      cached = undefined; // a failed read is retried on the next call
    });
    cached = { arn, at: Date.now(), value };
  }
  const secrets = await cached.value;
  return secrets.previous ? [secrets.current, secrets.previous] : [secrets.current];
}

// ---------------------------------------------------------------------------------------------------------
// Search key (review-queue search by personal ID, reviewQueue/reviewSearch.ts)

/**
 * The province's key of the personal-ID search hash (HMAC-SHA256): a personal ID is found by its keyed hash, so
 * the index never holds one in clear and a copy of the table without the key cannot be searched by ID.
 *
 * In AWS each province stack has its own Secrets Manager secret (SEARCH_KEY_SECRET_ARN, its value the key), read
 * through the AWS Parameters and Secrets Lambda Extension (a layer the stack adds to the functions that need it:
 * GET http://localhost:2773/secretsmanager/get, authenticated with the function's session token; it caches the
 * value) rather than with the Secrets Manager SDK client, which would put ReviewItemsApi over its 400 KB bundle
 * budget. A deployment without Secrets Manager (the local runtime, a test) passes SEARCH_KEY_SECRET: the key
 * itself, or JSON `{ "<province code>": "<key>" }` when one process serves several provinces. A plain value is the
 * key of every province of that deployment (one stack = one province in AWS). Kept 5 minutes per container.
 */
let cachedSearchKey: { arn: string; at: number; value: Promise<string> } | undefined;

function searchKeyFrom(value: string, provinceCode: string): string {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    throw new Error('The search key secret looks like JSON but does not parse');
  }
  const key = json[provinceCode];
  if (typeof key !== 'string' || key.length < 16) throw new Error(`The search key secret has no key (≥ 16 characters) for province ${provinceCode}`);
  return key;
}

/** The secret's string through the Parameters and Secrets Lambda Extension. */
async function secretFromExtension(arn: string): Promise<string> {
  const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const res = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(arn)}`, {
    headers: { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN ?? '' },
  });
  if (!res.ok) throw new Error(`The secrets extension answered ${res.status}`);
  const body = (await res.json()) as { SecretString?: unknown };
  if (typeof body.SecretString !== 'string' || body.SecretString === '') throw new Error('The search key secret has no string value');
  return body.SecretString;
}

export async function searchKeyFor(provinceCode: string): Promise<string> {
  const direct = process.env.SEARCH_KEY_SECRET;
  if (direct) return searchKeyFrom(direct, provinceCode);
  const arn = process.env.SEARCH_KEY_SECRET_ARN;
  if (!arn) throw new Error('Missing environment variable SEARCH_KEY_SECRET_ARN (or SEARCH_KEY_SECRET)');
  if (cachedSearchKey?.arn !== arn || Date.now() - cachedSearchKey.at > CACHE_MS) {
    const value = secretFromExtension(arn);
    value.catch(() => {
      cachedSearchKey = undefined; // a failed read is retried on the next call
    });
    cachedSearchKey = { arn, at: Date.now(), value };
  }
  return searchKeyFrom(await cachedSearchKey.value, provinceCode);
}
