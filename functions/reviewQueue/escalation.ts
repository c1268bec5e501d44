/**
 * Scheduled escalation (EscalateOverdueReviews, every 5 minutes): active review items past their target time are
 * flagged `escalated: true` for supervisors, with an AUDIT row ESCALATED and the supervisors' notice row
 * (notices.ts) in the same transaction, and the province's supervisors are told: one structured log line and, in
 * AWS, one SNS message per run (adapters/supervisorNotices.ts) — item ids, reasons and ages only.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { publishEscalationNotice, type EscalationNotice } from '../adapters/supervisorNotices';
import { config } from '../shared/config';
import { nowIso } from '../shared/clock';
import { logger } from '../shared/logger';
import { BY_PROVINCE_ESCALATION, ITEM_SK, auditPut, cancellationCodes, getItem, itemUpdate, transact } from './reviewItemsRepository';
import { isActive, targetTimeOf } from './reviewPolicy';
import { ageHours, noticePut, reasonOf, type SupervisorNotice } from './notices';

const SYSTEM = 'system';

export interface EscalationSummary {
  examined: number;
  escalated: number;
  raced: number;
  /** Supervisors told (one notice per province with escalated items): published to the topic, or the list only. */
  notices?: { provinceCode: string; items: number; delivery: 'PUBLISHED' | 'NO_TOPIC' | 'FAILED' }[];
}

/**
 * Flags active items past their target time: `escalated: true`, `escalatedAt`, with an AUDIT row ESCALATED, in
 * one transaction conditioned on the version read, and removes them from the sparse escalation index. Reads
 * exactly the items due for escalation (byProvinceEscalation, escalationDueAt ≤ now). Idempotent; a lost race is
 * left for the next run.
 */
export async function escalateOverdueItems(options: { provinceCodes?: string[] } = {}): Promise<EscalationSummary> {
  const provinceCodes = options.provinceCodes ?? [config.provinceCode()];
  const summary: EscalationSummary = { examined: 0, escalated: 0, raced: 0, notices: [] };
  const at = nowIso();
  for (const provinceCode of provinceCodes) {
    const told: SupervisorNotice[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await dynamo().send(
        new QueryCommand({
          TableName: config.reviewItemsTable(),
          IndexName: BY_PROVINCE_ESCALATION,
          KeyConditionExpression: 'provinceCode = :pc AND escalationDueAt <= :now',
          ExpressionAttributeValues: { ':pc': provinceCode, ':now': at },
          ExclusiveStartKey: startKey,
        }),
      );
      startKey = out.LastEvaluatedKey;
      for (const listed of out.Items ?? []) {
        if (listed.sk !== ITEM_SK) continue;
        summary.examined++;
        // The index is eventually consistent: act on the item as it is now.
        const item = await getItem(String(listed.itemId));
        if (!item || item.escalationDueAt === undefined || item.escalationDueAt > at) continue;
        const stillActive = isActive(item.status) && item.escalated !== true;
        const notice: SupervisorNotice = {
          kind: 'ESCALATED', itemId: item.itemId, reasonCode: item.reasonCode, at, openedAt: item.createdAt, escalateAt: targetTimeOf(item), dueAt: item.dueAt,
        };
        try {
          await transact([
            // The supervisors' notice exists exactly when the item was escalated (the same transaction).
            ...(stillActive ? [noticePut(provinceCode, notice)] : []),
            itemUpdate({
              itemId: item.itemId,
              expectedVersion: item.version,
              set: stillActive ? { escalated: true, escalatedAt: at } : {},
              remove: ['escalationDueAt'],
              ...(stillActive ? { require: { status: ['OPEN', 'CLAIMED'] } } : {}),
            }),
            auditPut(item, {
              at,
              version: item.version + 1,
              action: 'ESCALATED',
              by: SYSTEM,
              detail: stillActive
                ? { escalateAt: targetTimeOf(item), dueAt: item.dueAt, before: { escalated: false }, after: { escalated: true } }
                : { note: 'no longer active; index entry removed' },
            }),
          ]);
          if (stillActive) {
            summary.escalated++;
            told.push(notice);
          }
        } catch (error) {
          if (!cancellationCodes(error)) throw error;
          summary.raced++;
        }
      }
    } while (startKey);
    if (told.length) summary.notices!.push({ provinceCode, items: told.length, delivery: await tellSupervisors(provinceCode, at, told) });
  }
  if (summary.escalated > 0) logger.warn('Review items escalated to supervisors', { ...summary });
  return summary;
}

/** The structured log line and the SNS message of a run's escalations (item ids, reasons, ages: nothing personal). */
async function tellSupervisors(provinceCode: string, at: string, told: SupervisorNotice[]): Promise<'PUBLISHED' | 'NO_TOPIC' | 'FAILED'> {
  const notice: EscalationNotice = {
    type: 'REVIEW_ITEMS_ESCALATED',
    provinceCode,
    at,
    count: told.length,
    // An SNS message is at most 256 KB: the first 200 items are listed, the count says how many there are.
    items: told.slice(0, 200).map((n) => ({ itemId: n.itemId, reasonCode: n.reasonCode, reason: reasonOf(n.reasonCode).message.vi, ageHours: ageHours(n.openedAt, at), dueAt: n.dueAt })),
  };
  logger.warn('Supervisor notice: review items escalated', { notice });
  try {
    return await publishEscalationNotice(notice);
  } catch (error) {
    // The notices are recorded (the console lists them); the next escalations publish again. Alarmed by the log.
    logger.error('Supervisor notice not published', { provinceCode, error: (error as Error).name });
    return 'FAILED';
  }
}
