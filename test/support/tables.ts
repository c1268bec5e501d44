/**
 * Per-test-file tables in the shared DynamoDB Local: sets the env vars handlers read (table names, endpoint,
 * credentials) and returns the names.
 */
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTables, LOCAL_AWS_ENV } from '../../local/dynamoLocal';
import { resetDynamoClient } from '../../functions/adapters/dynamo';
import { localSearchKeysEnv } from '../../local/searchKeys';

export async function useLocalTables(label = 'test'): Promise<Record<string, string>> {
  const endpoint = inject('dynamoEndpoint');
  Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_DYNAMODB: endpoint });
  // The review items' search keys are made with the province's key (functions/adapters/secrets.ts).
  process.env.SEARCH_KEY_SECRET ??= localSearchKeysEnv();
  const names = await createTables(endpoint, `${label}-${randomUUID().slice(0, 8)}`);
  Object.assign(process.env, names);
  resetDynamoClient();
  return names;
}
