/**
 * CDK app: one ProvinceStack per province.
 *
 *   npx cdk synth -c province=79          # one province (stack Bhxh-EServices-79); bundles every function with esbuild
 *   npx cdk synth -c province=all         # all 34 provinces
 *   npx cdk synth -c province=79,01       # a list
 *
 * Context (cdk.json holds the defaults):
 *   province       required; two-digit code from config/provinces.json, a comma-separated list, or `all`
 *   account        AWS account; else CDK_DEFAULT_ACCOUNT (set by the CLI from credentials); else the
 *                  placeholder 111111111111 (synth works offline; a deploy with it fails on purpose)
 *   region         default ap-southeast-1
 *   registryUrl, consoleOrigin, alarmEmail, registryCredentialsSecretName
 *                  per-province settings: config/deployments.json (infra/deploymentSettings.ts); the context
 *                  overrides them for one run, for all (`-c alarmEmail=…`) or one province (`-c alarmEmail.79=…`).
 *                  Placeholders synthesize for the placeholder account only (with a warning); a synth for a real
 *                  account refuses them, naming each province and setting.
 *   workflowRollout  how each workflow's `live` alias moves to the new version: CANARY:<percent>:<minutes>
 *                  (default CANARY:10:10), LINEAR:<percent>:<minutes> or ALL_AT_ONCE (infra/constructs/workflows.ts)
 *   supervisorEmails  optional comma-separated emails subscribed to the supervisors' notices (escalated items);
 *                  per province with `-c supervisorEmails.79=…`
 *
 * The entry point builds the staff console (console/build.ts) into a temporary directory first; each stack
 * deploys it behind CloudFront (infra/constructs/staffConsole.ts) with its own config.json.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Annotations, App } from 'aws-cdk-lib';
import { assertOneIndexChangePerTable } from './indexGuard';
import { parseWorkflowRollout } from './constructs/workflows';
import { checkDeploymentSettings, deploymentSettingsFor, readDeploymentsFile, type DeploymentsFile } from './deploymentSettings';
import { provinces, type ProvinceSettings } from '../functions/shared/provinces';
import { ProvinceStack, stackNameFor } from './provinceStack';

export const PLACEHOLDER_ACCOUNT = '111111111111';
export const DEFAULT_REGION = 'ap-southeast-1';

/** Resolves the `province` context value to province settings; throws a clear error for anything unknown. */
export function resolveProvinces(value: unknown): ProvinceSettings[] {
  if (value === undefined || value === null || String(value).trim() === '') {
    throw new Error('Missing context "province": run with -c province=79 (a code from config/provinces.json) or -c province=all');
  }
  const raw = String(value).trim();
  if (raw === 'all') return [...provinces];
  const codes = raw.split(',').map((c) => c.trim()).filter(Boolean);
  const unknown = codes.filter((c) => !provinces.some((p) => p.code === c));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown province code ${unknown.map((c) => `"${c}"`).join(', ')}. Known codes (config/provinces.json): ${provinces
        .map((p) => p.code)
        .join(', ')}, or "all"`,
    );
  }
  return [...new Set(codes)].map((c) => provinces.find((p) => p.code === c)!);
}

function stringContext(app: App, key: string, fallback: string): string {
  const v = app.node.tryGetContext(key);
  return v === undefined || v === null || v === '' ? fallback : String(v);
}

export interface AddProvinceStacksOptions {
  /** Built staff console (buildConsole()); each stack serves it. Omitted: stacks without a console. */
  consoleDir?: string;
  /** The per-province deployment settings (default: config/deployments.json). */
  deployments?: DeploymentsFile;
}

/** Adds the stacks selected by the app's context; used by the CLI entry point below and by the tests. */
export function addProvinceStacks(app: App, options: AddProvinceStacksOptions = {}): ProvinceStack[] {
  const selected = resolveProvinces(app.node.tryGetContext('province'));
  // A stack that exists takes one index creation or deletion per table and update (infra/indexGuard.ts).
  assertOneIndexChangePerTable();
  const account = stringContext(app, 'account', process.env.CDK_DEFAULT_ACCOUNT ?? PLACEHOLDER_ACCOUNT);
  const region = stringContext(app, 'region', DEFAULT_REGION);
  const file = options.deployments ?? readDeploymentsFile();
  const settings = Object.fromEntries(selected.map((p) => [p.code, deploymentSettingsFor(p.code, file, (key) => app.node.tryGetContext(key))]));
  const warnings = checkDeploymentSettings(settings, account !== PLACEHOLDER_ACCOUNT);
  const rollout = parseWorkflowRollout(app.node.tryGetContext('workflowRollout'));

  return selected.map((province) => {
    const s = settings[province.code]!;
    const stack = new ProvinceStack(app, stackNameFor(province.code), {
      stackName: stackNameFor(province.code),
      env: { account, region },
      province,
      registryUrl: s.registryUrl,
      consoleOrigin: s.consoleOrigin,
      alarmEmail: s.alarmEmail ?? undefined,
      registryCredentialsSecretName: s.registryCredentialsSecretName,
      supervisorEmails: emailList(app.node.tryGetContext(`supervisorEmails.${province.code}`) ?? app.node.tryGetContext('supervisorEmails')),
      consoleDir: options.consoleDir,
      workflowRollout: rollout,
    });
    for (const w of warnings.filter((w) => w.startsWith(`province ${province.code}:`))) {
      Annotations.of(stack).addWarningV2('bhxh:deployment-placeholder', `${w} (placeholder account only; a deploy refuses it)`);
    }
    return stack;
  });
}

function emailList(value: unknown): string[] {
  return String(value ?? '').split(',').map((e) => e.trim()).filter(Boolean);
}

const isMain = (() => {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();

if (isMain) {
  // Built before any stack exists (constructs are synchronous); the asset is copied into cdk.out, so the
  // directory goes away when the process ends. The config.json written here is replaced at deploy time.
  const { buildConsole } = await import('../console/build');
  const consoleDir = mkdtempSync(join(tmpdir(), 'bhxh-console-'));
  process.once('exit', () => rmSync(consoleDir, { recursive: true, force: true }));
  await buildConsole({ outDir: consoleDir });
  addProvinceStacks(new App(), { consoleDir });
}
