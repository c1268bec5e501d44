/**
 * Settings that really differ per province (issue 13 item 5): the population registry gateway each province's
 * stack calls and the secret holding its credentials, the alarm e-mail, the staff console's origin. Read from
 * config/deployments.json (`defaults`, then `provinces.<code>`), then CDK context overrides for one run
 * (`-c registryUrl=…`, or per province `-c registryUrl.79=…`).
 *
 * Placeholders (`https://registry.invalid`, a `*` console origin, no alarm e-mail, no registry credentials)
 * let the stack synthesize offline (tests, reviews, the placeholder account 111111111111), with a warning.
 * A synth for a real account (a deploy: the CLI sets CDK_DEFAULT_ACCOUNT from credentials, or `-c account=`)
 * refuses them, naming each province and setting, so no stack reaches AWS calling a registry that does not
 * exist or accepting staff requests from any origin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLACEHOLDER_REGISTRY_URL = 'https://registry.invalid';
export const ANY_ORIGIN = '*';

export interface DeploymentSettings {
  registryUrl: string;
  consoleOrigin: string;
  alarmEmail: string | null;
  /** Secrets Manager name of the registry gateway's client credentials (the stack grants read on it). */
  registryCredentialsSecretName: string | null;
}

export interface DeploymentsFile {
  defaults: Partial<DeploymentSettings>;
  provinces: Record<string, Partial<DeploymentSettings>>;
}

const KEYS = ['registryUrl', 'consoleOrigin', 'alarmEmail', 'registryCredentialsSecretName'] as const;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function readDeploymentsFile(file = path.join(repoRoot, 'config/deployments.json')): DeploymentsFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DeploymentsFile>;
  return { defaults: parsed.defaults ?? {}, provinces: parsed.provinces ?? {} };
}

const given = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The settings of one province: file defaults < file province entry < context (global) < context (`key.<code>`). */
export function deploymentSettingsFor(
  provinceCode: string,
  file: DeploymentsFile,
  context: (key: string) => unknown = () => undefined,
): DeploymentSettings {
  const out: Record<string, string | null> = {};
  for (const key of KEYS) {
    const candidates = [context(`${key}.${provinceCode}`), context(key), file.provinces[provinceCode]?.[key], file.defaults[key]];
    out[key] = (candidates.find(given) as string | undefined) ?? null;
  }
  return {
    registryUrl: out.registryUrl ?? PLACEHOLDER_REGISTRY_URL,
    consoleOrigin: out.consoleOrigin ?? ANY_ORIGIN,
    alarmEmail: out.alarmEmail,
    registryCredentialsSecretName: out.registryCredentialsSecretName,
  };
}

/** What makes these settings unfit for a real deployment (empty: fit). Malformed values are refused in any case. */
export function deploymentProblems(s: DeploymentSettings): { malformed: string[]; placeholders: string[] } {
  const malformed: string[] = [];
  const placeholders: string[] = [];
  let registry: URL | null = null;
  try {
    registry = new URL(s.registryUrl);
  } catch {
    malformed.push(`registryUrl is not a URL: ${s.registryUrl}`);
  }
  if (registry && registry.protocol !== 'https:') malformed.push(`registryUrl must be https: ${s.registryUrl}`);
  if (registry && (registry.hostname.endsWith('.invalid') || s.registryUrl === PLACEHOLDER_REGISTRY_URL)) placeholders.push(`registryUrl is the placeholder ${s.registryUrl}`);
  if (s.consoleOrigin === ANY_ORIGIN) placeholders.push("consoleOrigin is '*' (any origin may call the staff API)");
  else {
    try {
      const origin = new URL(s.consoleOrigin);
      if (origin.protocol !== 'https:' || origin.origin !== s.consoleOrigin) malformed.push(`consoleOrigin must be an https origin without a path: ${s.consoleOrigin}`);
    } catch {
      malformed.push(`consoleOrigin is not an origin: ${s.consoleOrigin}`);
    }
  }
  if (!s.alarmEmail) placeholders.push('alarmEmail is not set (alarms would reach nobody)');
  else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.alarmEmail)) malformed.push(`alarmEmail is not an e-mail address: ${s.alarmEmail}`);
  if (!s.registryCredentialsSecretName) placeholders.push('registryCredentialsSecretName is not set (the registry gateway needs the province\'s client credentials)');
  return { malformed, placeholders };
}

/**
 * Throws one error naming every province and setting that is unfit: malformed values always; placeholders when
 * the synth is for a real account. Returns the placeholder warnings otherwise.
 */
export function checkDeploymentSettings(byProvince: Record<string, DeploymentSettings>, realAccount: boolean): string[] {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [code, settings] of Object.entries(byProvince)) {
    const { malformed, placeholders } = deploymentProblems(settings);
    errors.push(...malformed.map((m) => `province ${code}: ${m}`));
    (realAccount ? errors : warnings).push(...placeholders.map((p) => `province ${code}: ${p}`));
  }
  if (errors.length > 0) {
    throw new Error(
      `Deployment settings refused (config/deployments.json, or -c key=value / -c key.<province>=value):\n  - ${errors.join('\n  - ')}` +
        (realAccount ? '\nPlaceholders synthesize only for the placeholder account; set the real values before deploying.' : ''),
    );
  }
  return warnings;
}
