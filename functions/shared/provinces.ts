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
}

interface ProvinceEntry {
  code: string;
  name: string;
  reviewDeadlineHours?: number;
  escalateAfterHours?: number;
  paymentDeadlineHours?: number;
  householdSupport?: ProvincialSupport[];
}

const file = provincesFile as { defaults: Omit<ProvinceSettings, 'code' | 'name' | 'householdSupport'>; provinces: ProvinceEntry[] };

export const provinces: ProvinceSettings[] = file.provinces.map((p) => ({
  ...file.defaults,
  householdSupport: [],
  ...p,
}));

export function provinceSettings(code: string): ProvinceSettings | undefined {
  return provinces.find((p) => p.code === code);
}
