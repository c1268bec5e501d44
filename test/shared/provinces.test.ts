import { describe, expect, it } from 'vitest';
import { provinces, provinceSettings, settingsProblems, type ProvinceSettings } from '../../functions/shared/provinces';

const base: ProvinceSettings = { code: '79', name: 'TP. Hồ Chí Minh', reviewDeadlineHours: 120, escalateAfterHours: 72, paymentDeadlineHours: 168,
  registryWaitHours: 6, registryRetryFirstDelaySeconds: 60, registryRetryMaxDelaySeconds: 1800, householdSupport: [] };

describe('province settings (config/provinces.json)', () => {
  it('covers the 34 provinces, each escalating before its review deadline', () => {
    expect(provinces).toHaveLength(34);
    expect(settingsProblems(provinces)).toEqual([]);
    for (const p of provinces) expect(p.escalateAfterHours, p.code).toBeLessThan(p.reviewDeadlineHours);
    expect(provinceSettings('79')).toMatchObject({ name: 'TP. Hồ Chí Minh', reviewDeadlineHours: 120, escalateAfterHours: 72, registryWaitHours: 6 });
  });

  it('refuses a registry wait that cannot work', () => {
    expect(settingsProblems([{ ...base, registryWaitHours: -1 }])).toEqual(['79: registryWaitHours must not be negative']);
    expect(settingsProblems([{ ...base, registryRetryFirstDelaySeconds: 3600, registryRetryMaxDelaySeconds: 60 }])).toEqual([
      '79: registryRetryFirstDelaySeconds must be ≥ 1 and ≤ registryRetryMaxDelaySeconds',
    ]);
  });

  it('refuses settings that cannot work: escalation at or after the deadline, non-positive deadlines', () => {
    expect(settingsProblems([{ ...base, escalateAfterHours: 120 }])).toEqual(['79: escalateAfterHours must be positive and below reviewDeadlineHours']);
    expect(settingsProblems([{ ...base, escalateAfterHours: 0 }])).toHaveLength(1);
    expect(settingsProblems([{ ...base, reviewDeadlineHours: 0, escalateAfterHours: -1 }])).toHaveLength(2);
    expect(settingsProblems([{ ...base, paymentDeadlineHours: Number.NaN }])).toEqual(['79: paymentDeadlineHours must be positive']);
  });
});
