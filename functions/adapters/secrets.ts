/**
 * Secrets. In AWS the stack passes the ARN of a Secrets Manager secret (PAYMENT_WEBHOOK_SECRET_ARN) and the
 * value is read once per container; a deployment without Secrets Manager (the local runtime, a test) passes
 * the value itself in PAYMENT_WEBHOOK_SECRET. Both are configuration: the code path is the same.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let cached: { arn: string; value: Promise<string> } | undefined;

export async function paymentWebhookSecret(): Promise<string> {
  const direct = process.env.PAYMENT_WEBHOOK_SECRET;
  if (direct) return direct;
  const arn = process.env.PAYMENT_WEBHOOK_SECRET_ARN;
  if (!arn) throw new Error('Missing environment variable PAYMENT_WEBHOOK_SECRET_ARN (or PAYMENT_WEBHOOK_SECRET)');
  if (cached?.arn !== arn) {
    const value = new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: arn }))
      .then((out) => {
        if (!out.SecretString) throw new Error('The payment webhook secret has no string value');
        return out.SecretString;
      });
    value.catch(() => {
      cached = undefined; // a failed read is retried on the next call
    });
    cached = { arn, value };
  }
  return cached.value;
}
