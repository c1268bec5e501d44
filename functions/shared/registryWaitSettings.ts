/**
 * Province settings of the wait for an unreachable population registry (config/registryWait.json): the window
 * (hours) and the back-off of the retries. A file of its own, read by the stack (which sets them on the functions
 * as REGISTRY_WAIT_SECONDS, REGISTRY_RETRY_FIRST_DELAY_SECONDS, REGISTRY_RETRY_MAX_DELAY_SECONDS), so that only
 * the functions that wait carry them. Settings that cannot work are refused when the module loads (the synth fails).
 */
import file from '../../config/registryWait.json';

export interface RegistryWaitSettings {
  registryWaitHours: number;
  registryRetryFirstDelaySeconds: number;
  registryRetryMaxDelaySeconds: number;
}

const data = file as { defaults: RegistryWaitSettings; provinces: Record<string, Partial<RegistryWaitSettings>> };

export function registryWaitSettings(provinceCode: string): RegistryWaitSettings {
  return { ...data.defaults, ...data.provinces[provinceCode] };
}

export function registryWaitProblems(code: string, s: RegistryWaitSettings): string[] {
  const problems: string[] = [];
  if (!(s.registryWaitHours >= 0)) problems.push(`${code}: registryWaitHours must not be negative`);
  if (!(s.registryRetryFirstDelaySeconds >= 1 && s.registryRetryMaxDelaySeconds >= s.registryRetryFirstDelaySeconds)) {
    problems.push(`${code}: registryRetryFirstDelaySeconds must be ≥ 1 and ≤ registryRetryMaxDelaySeconds`);
  }
  return problems;
}

const problems = ['defaults', ...Object.keys(data.provinces)].flatMap((code) =>
  registryWaitProblems(code, code === 'defaults' ? data.defaults : registryWaitSettings(code)),
);
if (problems.length) throw new Error(`config/registryWait.json: ${problems.join('; ')}`);
