/**
 * Supervisor notices (thông báo cho lãnh đạo) in AWS: one SNS message per escalation run to the province's topic
 * (SUPERVISOR_NOTICES_TOPIC_ARN, infra/constructs/reviewQueue.ts; e-mail or any other subscription). The message
 * carries no personal data — the item id, the reason code and its label, the item's age and deadline — so a
 * supervisor opens the item in the console to see who it is about. A deployment without a topic (the local
 * runtime) has none to publish to: its notices are the console's list and the log line (reviewConsole.ts).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

export interface EscalationNoticeItem {
  itemId: string;
  reasonCode: string;
  reason: string;
  /** Whole hours since the item was opened. */
  ageHours: number;
  dueAt: string;
}

export interface EscalationNotice {
  type: 'REVIEW_ITEMS_ESCALATED';
  provinceCode: string;
  at: string;
  count: number;
  items: EscalationNoticeItem[];
}

let client: SNSClient | undefined;

/** The SNS client (one per container). */
export function snsClient(): SNSClient {
  client ??= new SNSClient({});
  return client;
}

/** Publishes the notice; 'NO_TOPIC' when this deployment has no topic configured. */
export async function publishEscalationNotice(notice: EscalationNotice): Promise<'PUBLISHED' | 'NO_TOPIC'> {
  const topicArn = process.env.SUPERVISOR_NOTICES_TOPIC_ARN;
  if (!topicArn) return 'NO_TOPIC';
  const lines = notice.items.map((i) => `- ${i.itemId}: ${i.reason} (${i.reasonCode}), mở ${i.ageHours} giờ, hết hạn xét duyệt ${i.dueAt}`);
  await snsClient().send(
    new PublishCommand({
      TopicArn: topicArn,
      // SNS subjects: ASCII-safe, ≤ 100 characters.
      Subject: `BHXH ${notice.provinceCode}: ${notice.count} review item(s) overdue / yeu cau xem xet qua han`,
      Message: JSON.stringify({ ...notice, text: `Yêu cầu xem xét quá hạn xử lý, đã chuyển lãnh đạo:\n${lines.join('\n')}` }),
      MessageAttributes: { type: { DataType: 'String', StringValue: notice.type }, provinceCode: { DataType: 'String', StringValue: notice.provinceCode } },
    }),
  );
  return 'PUBLISHED';
}
