/**
 * The household-renewal step that calls no AWS service (PriceHouseholdRenewal) and the size limit of a renewal:
 * a classification priced with this stack's provincial support. Apart from householdRenewal.ts (which re-exports
 * them) so that the pricing step's Lambda bundle carries no AWS SDK.
 */
import { priceHousehold } from '../domain/household/householdContribution';
import type { HouseholdClassification, HouseholdQuote } from '../domain/types';
import { config } from '../shared/config';
import { AppError } from '../shared/errors';
import { provinceSettings } from '../shared/provinces';

/** Billable members per renewal: the payment transaction's n + 5 items (see householdRenewal.ts) ≤ 100. */
export const MAX_BILLABLE_MEMBERS = 95;

export class HouseholdTooLargeError extends AppError {
  constructor(billable: number) {
    super(
      'HOUSEHOLD_TOO_LARGE',
      422,
      `Hộ gia đình có ${billable} thành viên phải đóng, vượt quá ${MAX_BILLABLE_MEMBERS} thành viên xử lý trực tuyến; vui lòng liên hệ cơ quan BHXH`,
      `The household has ${billable} billable members, more than the ${MAX_BILLABLE_MEMBERS} handled online; please contact the social insurance office`,
      { billable, max: MAX_BILLABLE_MEMBERS },
    );
    this.name = 'HouseholdTooLarge';
  }
}

export function assertRenewableSize(billable: number): void {
  if (billable > MAX_BILLABLE_MEMBERS) throw new HouseholdTooLargeError(billable);
}

/** Prices a classification for a payment date with this stack's provincial support. */
export function priceClassification(
  classification: HouseholdClassification,
  params: { periodMonths: number; paymentDate: string; headPersonalId: string },
): HouseholdQuote {
  assertRenewableSize(classification.billable.length);
  return priceHousehold({
    billable: classification.billable,
    excluded: classification.excluded,
    periodMonths: params.periodMonths,
    paymentDate: params.paymentDate,
    headPersonalId: params.headPersonalId,
    provincialSupport: provinceSettings(config.provinceCode())?.householdSupport ?? [],
  });
}

/**
 * The head of household's personal ID from a classification: the member the registry lists as head
 * ("CHU_HO"), billable or excluded.
 */
export function headPersonalIdOf(classification: HouseholdClassification): string | null {
  const billableHead = classification.billable.find((m) => m.member.relationToHead === 'CHU_HO');
  if (billableHead) return billableHead.member.personalId;
  return classification.excluded.find((m) => m.relationToHead === 'CHU_HO')?.personalId ?? null;
}
