/**
 * Province settings as data (config/provinces.json): code, name, review deadline, escalation threshold,
 * payment deadline and optional provincial household support (People's Council resolutions; empty by default).
 */
import provincesFile from '../../config/provinces.json';

export interface ProvincialSupport {
  /** e.g. "NEAR_POOR" */
  group: string;
  /** Extra share of the contribution paid by the provincial budget, in percent. */
  percent: number;
  instrument: string;
  effectiveFrom: string;
}

export interface ProvinceSettings {
  code: string;
  name: string;
  reviewDeadlineHours: number;
  escalateAfterHours: number;
  paymentDeadlineHours: number;
  householdSupport: ProvincialSupport[];
  /** Status-change webhook URL per consumer ("portal" → https URL); a consumer without one is not notified. */
  consumerWebhooks?: Record<string, string>;
}

interface ProvinceEntry {
  code: string;
  name: string;
  reviewDeadlineHours?: number;
  escalateAfterHours?: number;
  paymentDeadlineHours?: number;
  householdSupport?: ProvincialSupport[];
  consumerWebhooks?: Record<string, string>;
}

const file = provincesFile as { defaults: Omit<ProvinceSettings, 'code' | 'name' | 'householdSupport'>; provinces: ProvinceEntry[] };

export const provinces: ProvinceSettings[] = file.provinces.map((p) => ({
  ...file.defaults,
  householdSupport: [],
  ...p,
}));

/** Settings that cannot work are refused when the module loads (a deploy fails, not a review at 3 a.m.). */
export function settingsProblems(list: ProvinceSettings[]): string[] {
  const problems: string[] = [];
  for (const p of list) {
    if (!(p.reviewDeadlineHours > 0)) problems.push(`${p.code}: reviewDeadlineHours must be positive`);
    if (!(p.paymentDeadlineHours > 0)) problems.push(`${p.code}: paymentDeadlineHours must be positive`);
    // Items are escalated to supervisors before the workflow's deadline expires them.
    if (!(p.escalateAfterHours > 0 && p.escalateAfterHours < p.reviewDeadlineHours)) {
      problems.push(`${p.code}: escalateAfterHours must be positive and below reviewDeadlineHours`);
    }
  }
  return problems;
}

const problems = settingsProblems(provinces);
if (problems.length) throw new Error(`config/provinces.json: ${problems.join('; ')}`);

export function provinceSettings(code: string): ProvinceSettings | undefined {
  return provinces.find((p) => p.code === code);
}
