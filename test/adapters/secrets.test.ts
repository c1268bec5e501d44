import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWebhookSecret, paymentWebhookSecrets, searchKeyFor } from '../../functions/adapters/secrets';

describe('payment webhook secrets (rotation)', () => {
  afterEach(() => {
    delete process.env.PAYMENT_WEBHOOK_SECRET_PREVIOUS;
  });

  it('a Secrets Manager value is the secret itself or JSON { current, previous }', () => {
    expect(parseWebhookSecret('s3cret')).toEqual({ current: 's3cret' });
    expect(parseWebhookSecret('{"current":"new","previous":"old"}')).toEqual({ current: 'new', previous: 'old' });
    expect(parseWebhookSecret('{"current":"new","previous":""}')).toEqual({ current: 'new' });
    expect(() => parseWebhookSecret('{"previous":"old"}')).toThrow(/current/);
    expect(() => parseWebhookSecret('{not json')).toThrow(/JSON/);
  });

  it('from the environment: the current secret, then the previous one while rotating', async () => {
    process.env.PAYMENT_WEBHOOK_SECRET = 'current-one';
    expect(await paymentWebhookSecrets()).toEqual(['current-one']);
    process.env.PAYMENT_WEBHOOK_SECRET_PREVIOUS = 'previous-one';
    expect(await paymentWebhookSecrets()).toEqual(['current-one', 'previous-one']);
  });
});

describe('review search key (per province)', () => {
  afterEach(() => {
    delete process.env.SEARCH_KEY_SECRET;
    delete process.env.SEARCH_KEY_SECRET_ARN;
    delete process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT;
  });

  it('from the environment: the key itself, or JSON per province (a province without a key fails)', async () => {
    process.env.SEARCH_KEY_SECRET = 'one-key-for-this-stack';
    expect(await searchKeyFor('79')).toBe('one-key-for-this-stack');
    process.env.SEARCH_KEY_SECRET = JSON.stringify({ '79': 'key-of-ho-chi-minh-city', '01': 'key-of-ha-noi-000000' });
    expect(await searchKeyFor('01')).toBe('key-of-ha-noi-000000');
    await expect(searchKeyFor('48')).rejects.toThrow(/province 48/);
  });

  it('in AWS: from the Parameters and Secrets extension, authenticated with the session token', async () => {
    const seen: { url?: string; token?: string } = {};
    const server = createServer((req, res) => {
      seen.url = req.url;
      seen.token = String(req.headers['x-aws-parameters-secrets-token']);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ SecretString: 'the-province-search-key' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String((server.address() as AddressInfo).port);
      process.env.SEARCH_KEY_SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:search-79';
      process.env.AWS_SESSION_TOKEN = 'session-token';
      expect(await searchKeyFor('79')).toBe('the-province-search-key');
      expect(seen).toEqual({ url: `/secretsmanager/get?secretId=${encodeURIComponent(process.env.SEARCH_KEY_SECRET_ARN)}`, token: 'session-token' });
    } finally {
      delete process.env.AWS_SESSION_TOKEN;
      server.close();
    }
  });
});
