/**
 * One renewal per household at a time (part 2 of issue 8): the hold items in the insuranceRecords table.
 */
import type { ApplicationRecord } from '../adapters/applicationsRepository';
import type { TransactItem } from '../adapters/paymentsRepository';
import { AppError } from '../shared/errors';
import { outcomeReasonLabel } from '../domain/reviewReasons';

export interface HoldPlan {
  ok: boolean;
  items: TransactItem[];
  superseded: { applicationId: string; paymentTaskToken?: string }[];
}

/** Thrown by AwaitHouseholdPayment after recording REJECTED RENEWAL_IN_PROGRESS (ASL Catch "RenewalInProgress"). */
export class RenewalInProgressError extends AppError {
  constructor(holderApplicationId: string) {
    const label = outcomeReasonLabel('RENEWAL_IN_PROGRESS');
    super('RENEWAL_IN_PROGRESS', 409, label.vi, label.en, { holderApplicationId });
    this.name = 'RenewalInProgress';
  }
}

export type JoinResult =
  | { ok: true; items: TransactItem[]; renewalHold?: { householdId: string; personalIds: string[] } }
  | { ok: false; holderApplicationId: string };

export async function joinHouseholdHold(_record: ApplicationRecord, _hold: { householdId: string | null; personalIds: string[] }): Promise<JoinResult> {
  return { ok: true, items: [] };
}

export async function rejectRenewalInProgress(_record: ApplicationRecord, _holder: string): Promise<void> {}

export function releaseHoldItems(_record: ApplicationRecord): TransactItem[] {
  return [];
}

/** The hold items of the payment transaction (taking the household and its cards, superseding contenders). */
export async function holdItemsOnPayment(_record: ApplicationRecord, _at: string): Promise<HoldPlan> {
  return { ok: true, items: [], superseded: [] };
}
