import { describe, expect, it } from 'vitest';
import { backoffDelaySeconds, planRegistryRetry, retryOffsets } from '../../../functions/domain/identity/registryBackoff';

const policy = { windowSeconds: 6 * 3600, firstDelaySeconds: 60, maxDelaySeconds: 1800 };
const T0 = new Date('2026-11-22T02:14:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('registry back-off schedule', () => {
  it('doubles from the first delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelaySeconds(a, policy))).toEqual([60, 120, 240, 480, 960, 1800, 1800, 1800]);
  });

  it('plans the first retry from the first failure and carries since / until', () => {
    expect(planRegistryRetry({ attempt: 0, since: null }, T0, policy)).toEqual({
      retry: true,
      attempt: 1,
      since: '2026-11-22T02:14:00.000Z',
      delaySeconds: 60,
      nextAttemptAt: '2026-11-22T02:15:00.000Z',
      until: '2026-11-22T08:14:00.000Z',
    });
    expect(planRegistryRetry({ attempt: 3, since: T0.toISOString() }, at(420), policy)).toMatchObject({ retry: true, attempt: 4, delaySeconds: 480 });
  });

  it('cuts the last wait at the end of the window, then stops', () => {
    expect(planRegistryRetry({ attempt: 15, since: T0.toISOString() }, at(6 * 3600 - 100), policy)).toMatchObject({
      retry: true,
      delaySeconds: 100,
      nextAttemptAt: '2026-11-22T08:14:00.000Z',
    });
    expect(planRegistryRetry({ attempt: 16, since: T0.toISOString() }, at(6 * 3600), policy)).toEqual({
      retry: false,
      attempt: 16,
      since: T0.toISOString(),
      until: '2026-11-22T08:14:00.000Z',
    });
  });

  it('spends a six-hour window in 16 retries (a few transitions each, only while the registry is down)', () => {
    const offsets = retryOffsets(policy);
    expect(offsets.slice(0, 6)).toEqual([60, 180, 420, 900, 1860, 3660]);
    expect(offsets.at(-1)).toBe(6 * 3600);
    expect(offsets).toHaveLength(16);
  });
});
