import { describe, expect, it } from 'vitest';
import { provinces, provinceSettings, settingsProblems, type ProvinceSettings } from '../../functions/shared/provinces';
import { registryWaitProblems, registryWaitSettings } from '../../functions/shared/registryWaitSettings';

const base: ProvinceSettings = { code: '79', name: 'TP. Hồ Chí Minh', reviewDeadlineHours: 120, escalateAfterHours: 72, paymentDeadlineHours: 168, householdSupport: [] };

describe('province settings (config/provinces.json)', () => {
  it('covers the 34 provinces, each escalating before its review deadline', () => {
    expect(provinces).toHaveLength(34);
    expect(settingsProblems(provinces)).toEqual([]);
    for (const p of provinces) expect(p.escalateAfterHours, p.code).toBeLessThan(p.reviewDeadlineHours);
    expect(provinceSettings('79')).toMatchObject({ name: 'TP. Hồ Chí Minh', reviewDeadlineHours: 120, escalateAfterHours: 72 });
  });

  it('waits 6 hours for an unreachable registry by default, and refuses a registry wait that cannot work', () => {
    const wait = registryWaitSettings('79');
    expect(wait).toEqual({ registryWaitHours: 6, registryRetryFirstDelaySeconds: 60, registryRetryMaxDelaySeconds: 1800 });
    expect(registryWaitProblems('79', { ...wait, registryWaitHours: -1 })).toEqual(['79: registryWaitHours must not be negative']);
    expect(registryWaitProblems('79', { ...wait, registryRetryFirstDelaySeconds: 3600, registryRetryMaxDelaySeconds: 60 })).toEqual([
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
