/**
 * Supervisor notices (thông báo cho lãnh đạo): what the escalation job (escalation.ts) told the province's
 * supervisors, kept as rows of the reviewItems table — itemId "NOTICE#<province>", sk "<at>#<itemId>" — written in
 * the transaction that escalates the item, so a notice exists exactly when the item was escalated. A row holds the
 * item id, the reason code and the item's times: nothing personal. The console lists them for supervisors
 * (GET /v1/review-notices); in AWS the same run also publishes them to the province's SNS topic.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { config } from '../shared/config';
import { nowIso } from '../shared/clock';
import type { StaffPrincipal } from '../shared/http';
import { reviewItemReason, type RenderedReason } from '../domain/reasonCatalog';
import type { ReviewReasonCode } from '../domain/types';
import { requireSupervisor } from './reviewPolicy';

export const noticesKey = (provinceCode: string) => `NOTICE#${provinceCode}`;

export interface SupervisorNotice {
  kind: 'ESCALATED';
  itemId: string;
  reasonCode: ReviewReasonCode;
  /** When the supervisors were told. */
  at: string;
  openedAt: string;
  escalateAt: string;
  dueAt: string;
}

/** Whole hours from `fromIso` to `toIso` (an item's age when its notice was sent). */
export function ageHours(fromIso: string, toIso: string): number {
  return Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 3_600_000));
}

/** The reason as every view renders it ({ code, message: { vi, en } }). */
export function reasonOf(code: ReviewReasonCode): RenderedReason {
  return reviewItemReason(code);
}

/** The notice row's put, for the escalation's transaction. */
export function noticePut(provinceCode: string, notice: SupervisorNotice) {
  return { Put: { TableName: config.reviewItemsTable(), Item: { itemId: noticesKey(provinceCode), sk: `${notice.at}#${notice.itemId}`, notice } } };
}

/** The province's latest notices, newest first (supervisors only), with the reason's label and the item's age then. */
export async function listNotices(principal: StaffPrincipal, limit = 50) {
  requireSupervisor(principal);
  const out = await dynamo().send(
    new QueryCommand({
      TableName: config.reviewItemsTable(),
      KeyConditionExpression: 'itemId = :pk',
      ExpressionAttributeValues: { ':pk': noticesKey(principal.provinceCode) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const notices = (out.Items ?? []).map((row) => {
    const n = row.notice as SupervisorNotice;
    return { ...n, reason: reasonOf(n.reasonCode), ageHours: ageHours(n.openedAt, n.at) };
  });
  return { now: nowIso(), notices };
}
