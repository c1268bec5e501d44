import { afterEach, describe, expect, it } from 'vitest';
import { parseWebhookSecret, paymentWebhookSecrets } from '../../functions/adapters/secrets';

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
