/**
 * `npm run ops -- …`: repairing a province stack's workflows (issue 13 item 2), against AWS or the local engine.
 *
 *   npm run ops -- failed  --province 79 [--outputs cdk-outputs.json] [--since 2026-11-01] [--endpoint URL]
 *       the province's Standard executions that ended FAILED, TIMED_OUT or ABORTED (newest first): application
 *       id (the execution name), workflow, status, when, error and cause (personal IDs masked)
 *   npm run ops -- redrive <executionArn> [<executionArn> …] [--endpoint URL]
 *       RedriveExecution of each: the execution runs again from the state that failed (AWS keeps the history
 *       and redrives only FAILED, TIMED_OUT or ABORTED Standard executions, within 14 days of their end)
 *
 * Where the state machines are: in AWS, the stack's outputs (`npx cdk deploy --outputs-file cdk-outputs.json`
 * writes `<Workflow>StateMachineArn` per stack); against the local engine (`--endpoint`, the "Step Functions"
 * URL `npm start` prints, or AWS_ENDPOINT_URL_SFN), the local ARNs. Credentials and region: the AWS SDK's usual
 * chain (AWS_PROFILE, AWS_REGION; default ap-southeast-1). Only the three service workflows and the shared
 * identity verification are Standard; Express executions are not redriven (they are retried by their parent).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { workflowSpecs } from '../functions/catalog';
import { stackNameFor } from '../infra/provinceStack';

export const ENDED_BADLY: ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];
const LOCAL_ACCOUNT = '000000000000';

export interface FailedExecution {
  executionArn: string;
  workflow: string;
  applicationId: string;
  status: ExecutionStatus;
  stopDate: string | null;
  error: string | null;
  cause: string | null;
  redriveCount: number;
}

/** The Standard workflows of the catalog (the ones that can be redriven). */
export const STANDARD_WORKFLOWS = Object.entries(workflowSpecs)
  .filter(([, spec]) => spec.type !== 'EXPRESS')
  .map(([name]) => name);

/** A 12-digit personal ID in a cause is masked as everywhere else (079******284). */
export function maskIds(text: string): string {
  return text.replace(/\b(\d{3})\d{6}(\d{3})\b/g, '$1******$2');
}

/** The province's state machine ARNs: from a CDK outputs file (AWS), or the local engine's ARNs. */
export function stateMachineArns(options: { province: string; outputsFile?: string; region?: string }): Record<string, string> {
  if (options.outputsFile) {
    const outputs = JSON.parse(readFileSync(options.outputsFile, 'utf8')) as Record<string, Record<string, string>>;
    const stack = outputs[stackNameFor(options.province)];
    if (!stack) throw new Error(`${options.outputsFile} has no outputs of stack ${stackNameFor(options.province)}`);
    const arns: Record<string, string> = {};
    for (const name of STANDARD_WORKFLOWS) {
      const arn = stack[`${name}StateMachineArn`];
      if (!arn) throw new Error(`${options.outputsFile}: ${stackNameFor(options.province)} has no output ${name}StateMachineArn`);
      arns[name] = arn;
    }
    return arns;
  }
  const region = options.region ?? 'ap-southeast-1';
  return Object.fromEntries(STANDARD_WORKFLOWS.map((name) => [name, `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${name}`]));
}

/** Every execution of these machines that ended FAILED, TIMED_OUT or ABORTED (since `since`), newest first. */
export async function listFailedExecutions(sfn: SFNClient, machines: Record<string, string>, since?: Date): Promise<FailedExecution[]> {
  const out: FailedExecution[] = [];
  for (const [workflow, stateMachineArn] of Object.entries(machines)) {
    for (const statusFilter of ENDED_BADLY) {
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter, nextToken, maxResults: 100 }));
        for (const e of page.executions ?? []) {
          if (since && e.stopDate && e.stopDate < since) continue;
          const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }));
          out.push({
            executionArn: e.executionArn!,
            workflow,
            applicationId: e.name!,
            status: statusFilter,
            stopDate: d.stopDate ? d.stopDate.toISOString() : null,
            error: d.error ?? null,
            cause: d.cause ? maskIds(d.cause).slice(0, 300) : null,
            redriveCount: d.redriveCount ?? 0,
          });
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
  }
  return out.sort((a, b) => (b.stopDate ?? '').localeCompare(a.stopDate ?? ''));
}

export interface RedriveResult {
  executionArn: string;
  redriven: boolean;
  redriveDate?: string;
  error?: string;
}

/** RedriveExecution of each; one that cannot be redriven is reported, not fatal for the others. */
export async function redriveExecutions(sfn: SFNClient, executionArns: string[]): Promise<RedriveResult[]> {
  const results: RedriveResult[] = [];
  for (const executionArn of executionArns) {
    try {
      const r = await sfn.send(new RedriveExecutionCommand({ executionArn }));
      results.push({ executionArn, redriven: true, redriveDate: r.redriveDate?.toISOString() });
    } catch (error) {
      results.push({ executionArn, redriven: false, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return results;
}

export function formatFailed(list: FailedExecution[]): string[] {
  if (list.length === 0) return ['no failed, timed-out or aborted executions'];
  return list.map(
    (e) =>
      `${e.stopDate ?? '-'}  ${e.status.padEnd(9)} ${e.workflow.padEnd(22)} ${e.applicationId}  ${e.error ?? ''}${e.cause ? `: ${e.cause}` : ''}` +
      `${e.redriveCount ? `  (redriven ${e.redriveCount}×)` : ''}\n    ${e.executionArn}`,
  );
}

export async function main(argv: string[], print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      province: { type: 'string', default: '79' },
      outputs: { type: 'string' },
      since: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  const region = values.region ?? process.env.AWS_REGION ?? 'ap-southeast-1';
  const endpoint = values.endpoint ?? process.env.AWS_ENDPOINT_URL_SFN;
  const sfn = new SFNClient({
    region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  if (command === 'failed') {
    if (!endpoint && !values.outputs) {
      print('failed: give --outputs cdk-outputs.json (AWS) or --endpoint URL (the local engine)');
      return 2;
    }
    const since = values.since ? new Date(values.since) : undefined;
    if (since && Number.isNaN(since.getTime())) {
      print(`failed: --since is not a date: ${values.since}`);
      return 2;
    }
    const machines = stateMachineArns({ province: values.province, outputsFile: endpoint ? undefined : values.outputs, region });
    for (const line of formatFailed(await listFailedExecutions(sfn, machines, since))) print(line);
    return 0;
  }
  if (command === 'redrive') {
    if (rest.length === 0) {
      print('redrive: give one or more execution ARNs (npm run ops -- failed lists them)');
      return 2;
    }
    const results = await redriveExecutions(sfn, rest);
    for (const r of results) print(r.redriven ? `redriven  ${r.executionArn} at ${r.redriveDate}` : `refused   ${r.executionArn}: ${r.error}`);
    return results.every((r) => r.redriven) ? 0 : 1;
  }
  print('usage: npm run ops -- failed --province 79 [--outputs cdk-outputs.json | --endpoint URL] [--since DATE]');
  print('       npm run ops -- redrive <executionArn> … [--endpoint URL]');
  return 2;
}

const isMain = (() => {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();
if (isMain) process.exitCode = await main(process.argv.slice(2));
