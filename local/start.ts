/**
 * `npm start` — the whole system locally on embedded defaults.
 *
 *   npm start                                  demo province 79 on http://127.0.0.1:3000
 *   npm start -- --port 4000                   another API port
 *   npm start -- --seed my-seed.json           your own seed file (format: local/seed/seedFormat.ts, README)
 *   npm start -- --now 2026-07-01T09:00:00+07:00   start the clock at that instant (dated rules)
 *   npm start -- --data-dir .local-data        keep DynamoDB Local's data on disk between runs
 *   npm start -- --webhook http://127.0.0.1:9000/hook   status-change webhooks of every dev consumer go there
 *
 * Prints one line per start-up stage with its duration (local/runtime.ts STAGES), then the banner. A stage that
 * fails stops everything started before it, is named on stderr with its reason, and the exit code is 1.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { startLocalSystem, LOCAL_PAYMENT_SECRET, LOCAL_WEBHOOK_SECRET, LocalStartError, type LocalSystem, type StageReporter } from './runtime';
import { buildConsole } from '../console/build';
import { devConsumers, devIdentities } from './devIdentities';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    seed: { type: 'string' },
    now: { type: 'string' },
    'data-dir': { type: 'string' },
    webhook: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: npm start -- [--port 3000] [--seed file.json] [--now 2026-07-01T09:00:00+07:00] [--data-dir DIR] [--webhook URL]\n',
  );
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number, got ${values.port}\n`);
  process.exit(2);
}
if (values.now && Number.isNaN(new Date(values.now).getTime())) {
  process.stderr.write(`--now must be an ISO-8601 instant, got ${values.now}\n`);
  process.exit(2);
}
const seedFile = values.seed ? path.resolve(values.seed) : undefined;
if (seedFile && !existsSync(seedFile)) {
  process.stderr.write(`--seed: no such file ${seedFile}\n`);
  process.exit(2);
}
if (values.webhook && !/^https?:\/\/[^\s]+$/.test(values.webhook)) {
  process.stderr.write(`--webhook must be an http(s) URL, got ${values.webhook}\n`);
  process.exit(2);
}
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : undefined;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** One line per stage: `✓ DynamoDB Local          2.4 s  http://127.0.0.1:8000 (in memory)`. */
const reporter: StageReporter = {
  done: ({ stage, ms, url, note }) => {
    const extra = [url, note && (url ? `(${note})` : note)].filter(Boolean).join(' ');
    process.stdout.write(`  ✓ ${stage.padEnd(24)} ${seconds(ms).padStart(7)}${extra ? `  ${extra}` : ''}\n`);
  },
  waiting: (stage, elapsedMs) => {
    process.stdout.write(`  … ${stage.padEnd(24)} ${seconds(elapsedMs).padStart(7)}  still starting (a busy machine can take a minute; waiting)\n`);
  },
  failed: (stage, ms, error) => {
    process.stderr.write(`  ✗ ${stage.padEnd(24)} ${seconds(ms).padStart(7)}  failed: ${error.message}\n`);
  },
};

process.stdout.write('Starting the local system…\n');
const startedAt = performance.now();
let system: LocalSystem;
// A signal during start-up ends it after the running stage, stopping what was started (no JVM left behind).
const interrupt = new AbortController();
const onStartupSignal = () => interrupt.abort();
process.once('SIGINT', onStartupSignal);
process.once('SIGTERM', onStartupSignal);
try {
  system = await startLocalSystem({
    apiPort: port,
    seedFile,
    now: values.now,
    dataDir,
    webhookUrl: values.webhook,
    buildConsole: () => buildConsole(),
    scheduleEveryMs: 15_000,
    // The demo waits 2 minutes for an unreachable registry (retries after 15 s, then every 60 s) before the
    // REGISTRY_UNAVAILABLE review item opens; a stack waits config/registryWait.json's hours (6 by default).
    // The environment overrides these (REGISTRY_WAIT_SECONDS=0 npm start: at once, as before the wait).
    env: {
      REGISTRY_WAIT_SECONDS: process.env.REGISTRY_WAIT_SECONDS ?? '120',
      REGISTRY_RETRY_FIRST_DELAY_SECONDS: process.env.REGISTRY_RETRY_FIRST_DELAY_SECONDS ?? '15',
      REGISTRY_RETRY_MAX_DELAY_SECONDS: process.env.REGISTRY_RETRY_MAX_DELAY_SECONDS ?? '60',
    },
    reporter,
    signal: interrupt.signal,
  });
  process.off('SIGINT', onStartupSignal);
  process.off('SIGTERM', onStartupSignal);
} catch (error) {
  const stage = error instanceof LocalStartError ? error.stage : 'start-up';
  const cause = error instanceof LocalStartError ? (error.cause as Error | undefined)?.message ?? error.message : (error as Error)?.message ?? String(error);
  process.stderr.write(`\nStart-up failed at stage "${stage}": ${cause}\nEverything started before it was stopped.\n`);
  process.exit(1);
}
process.stdout.write(`  Ready in ${seconds(performance.now() - startedAt)} (GET ${system.apiUrl}/v1/health)\n`);

/** Where each service's scenarios are submitted. */
const SERVICE_ROUTES: Record<string, string> = {
  HOUSEHOLD_RENEWAL: 'POST /v1/household-renewals',
  UNEMPLOYMENT_HISTORY: 'POST /v1/unemployment-history-requests',
  LUMP_SUM_WITHDRAWAL: 'POST /v1/lump-sum-claims',
};

const identities = devIdentities().filter((d) => d.provinceCode === system.seed.provinceCode || d.provinceCode === '01');
const lines = [
  '',
  `BHXH e-services — local runtime, province ${system.seed.provinceCode}`,
  '',
  `  API                 ${system.apiUrl}/v1`,
  `  Staff console       ${system.apiUrl}/console/  (sign in with a dev identity below)`,
  `  Population registry ${system.registryUrl} (simulated; faults: GET/PUT ${system.registryUrl}/_faults)`,
  `  Step Functions      ${system.sfnUrl} (local engine, AWS JSON protocol)`,
  `  DynamoDB Local      ${system.dynamoEndpoint}`,
  `  Health              ${system.apiUrl}/v1/health (no credentials)`,
  dataDir
    ? `  Data dir            ${dataDir} — ${
        system.freshData
          ? 'new: tables created, demo seed written'
          : `kept from an earlier run: seed not rewritten; ${system.interrupted?.ended.length ?? 0} application(s) whose execution was interrupted ended FAILED (WORKFLOW_STOPPED)`
      }`
    : '  Data                in memory (gone when stopped; keep it with --data-dir DIR)',
  values.now ? `  Clock               starts at ${values.now}` : '',
  '',
  '  Staff dev tokens (Authorization: Bearer <token>):',
  ...identities.map((d) => `    ${d.token.padEnd(22)} ${d.name} — province ${d.provinceCode}, ${d.roles.join('+')}`),
  `    (every province has dev-staff-<code> and dev-supervisor-<code>)`,
  '',
  '  Consumer dev tokens (Authorization: Bearer <token>; required on the public routes, each sees only its own applications):',
  ...devConsumers().map((c) => `    ${c.token.padEnd(22)} consumer "${c.consumerId}" — ${c.name}; scopes ${c.scopes.join(' ')}`),
  '',
  values.webhook
    ? `  Webhooks            status changes of every consumer → POST ${values.webhook}, signed with ${LOCAL_WEBHOOK_SECRET} (X-Webhook-Signature: sha256=<hex HMAC-SHA256 of "<X-Webhook-Timestamp>.<raw body>">)`
    : '  Webhooks            none (send status changes to a URL with --webhook URL)',
  `  Payment callback secret (POST /v1/payment-callbacks; X-Payment-Signature: sha256=<hex HMAC-SHA256 of "<X-Payment-Timestamp>.<raw body>">): ${LOCAL_PAYMENT_SECRET}`,
  '',
  '  Demo scenarios (the person below submits to the service\'s route; README has the request bodies):',
  ...(system.seed.scenarios ?? []).map(
    (s) =>
      `    ${s.name.padEnd(28)} ${SERVICE_ROUTES[s.service].padEnd(39)} ${s.submit.personalId}  ${s.submit.fullName}, ${s.submit.dateOfBirth} → ${s.expect}`,
  ),
  '',
  'Press Ctrl+C to stop.',
  '',
];
process.stdout.write(lines.filter((l) => l !== undefined).join('\n'));

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping…\n');
  await system.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
