import { SFNClient } from '@aws-sdk/client-sfn';

let client: SFNClient | undefined;

/** One Step Functions client per process. The endpoint comes from AWS_ENDPOINT_URL_SFN when set (local). */
export function stepFunctions(): SFNClient {
  client ??= new SFNClient({ maxAttempts: 3 });
  return client;
}

export function resetStepFunctionsClient(): void {
  client = undefined;
}
