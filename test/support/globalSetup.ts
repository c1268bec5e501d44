/**
 * Starts one DynamoDB Local for the whole test run. Test files create their own tables (unique prefix) with
 * test/support/tables.ts, so they can run in parallel without sharing data.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, LOCAL_AWS_ENV } from '../../local/dynamoLocal';

export default async function setup(project: TestProject) {
  const db = await startDynamoLocal();
  project.provide('dynamoEndpoint', db.endpoint);
  Object.assign(process.env, LOCAL_AWS_ENV);
  return async () => {
    await db.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
