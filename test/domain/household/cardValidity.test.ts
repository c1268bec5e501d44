import { describe, expect, it } from 'vitest';
import { renewalContinuity, renewedCardValidity } from '../../../functions/domain/household/cardValidity';
import { card } from '../fixtures';

const ID = '079187000002';

describe('renewedCardValidity (HI Law Art. 16(3), Law 51/2024/QH15)', () => {
  it('continuous: paid before expiry → from the day after expiry', () => {
    const c = card(ID, 'HOUSEHOLD', '2025-07-15', '2026-07-14');
    expect(renewalContinuity(c, '2026-07-01')).toBe('CONTINUOUS');
    expect(renewedCardValidity(c, '2026-07-01', 12)).toEqual({ validFrom: '2026-07-15', expiresOn: '2027-07-14' });
  });

  it('continuous: paid on the expiry day itself', () => {
    const c = card(ID, 'HOUSEHOLD', '2025-07-01', '2026-06-30');
    expect(renewedCardValidity(c, '2026-06-30', 6)).toEqual({ validFrom: '2026-07-01', expiresOn: '2026-12-31' });
  });

  it('resumed within 3 months of expiry → from the payment date (never backdated)', () => {
    const c = card(ID, 'HOUSEHOLD', '2025-02-01', '2026-01-31');
    expect(renewalContinuity(c, '2026-04-30')).toBe('RESUMED');
    expect(renewedCardValidity(c, '2026-04-30', 3)).toEqual({ validFrom: '2026-04-30', expiresOn: '2026-07-29' });
  });

  it('gap of 3 months or more → 30 days after payment', () => {
    const c = card(ID, 'HOUSEHOLD', '2025-02-01', '2026-01-31');
    // uncovered from 2026-02-01; 3 months later is 2026-05-01
    expect(renewalContinuity(c, '2026-05-01')).toBe('NEW');
    expect(renewedCardValidity(c, '2026-05-01', 12)).toEqual({ validFrom: '2026-05-31', expiresOn: '2027-05-30' });
  });

  it('first enrolment (no card) → 30 days after payment', () => {
    expect(renewalContinuity(null, '2026-07-01')).toBe('NEW');
    expect(renewedCardValidity(null, '2026-07-01', 12)).toEqual({ validFrom: '2026-07-31', expiresOn: '2027-07-30' });
    expect(renewedCardValidity(null, '2026-07-01', 3)).toEqual({ validFrom: '2026-07-31', expiresOn: '2026-10-30' });
  });

  it('a previous card of another group counts as participation', () => {
    const c = card(ID, 'EMPLOYEE', '2025-01-01', '2026-06-15');
    expect(renewedCardValidity(c, '2026-07-01', 6)).toEqual({ validFrom: '2026-07-01', expiresOn: '2026-12-31' });
  });

  it('month-end: expiry 2026-01-31, 1 month → 2026-02-01..2026-02-28', () => {
    const c = card(ID, 'HOUSEHOLD', '2025-11-01', '2026-01-31');
    expect(renewedCardValidity(c, '2026-01-20', 1)).toEqual({ validFrom: '2026-02-01', expiresOn: '2026-02-28' });
  });

  it('month-end: validity starting 2026-01-31 for 1 month ends 2026-02-28; the next starts 2026-03-01', () => {
    const c = card(ID, 'HOUSEHOLD', '2025-01-31', '2026-01-30');
    const first = renewedCardValidity(c, '2026-01-10', 1);
    expect(first).toEqual({ validFrom: '2026-01-31', expiresOn: '2026-02-28' });
    const next = renewedCardValidity(card(ID, 'HOUSEHOLD', first.validFrom, first.expiresOn), '2026-02-20', 3);
    expect(next).toEqual({ validFrom: '2026-03-01', expiresOn: '2026-05-31' });
  });

  it('rejects a bad period', () => {
    expect(() => renewedCardValidity(null, '2026-07-01', 0)).toThrow(RangeError);
    expect(() => renewedCardValidity(null, '2026-07-01', 1.5)).toThrow(RangeError);
  });
});
