/**
 * What supervisors see of the province's payments (staff console; supervisors only):
 *   refundsDue            every gateway transaction whose money bought nothing (sparse index byRefundDue)
 *   reconciliationCsv     every payment received on a Vietnam day (index byReconciliationDay): its application,
 *                         its outcome, and whether a refund is due, so finance can match the gateway's statement.
 * The same CSV rules as the review audit export (reviewConsole.csvCell: quoted, formula triggers neutralised,
 * UTF-8 with BOM).
 */
import { paymentsRepository, type GatewayTransactionItem } from '../adapters/paymentsRepository';
import type { StaffPrincipal } from '../shared/http';
import { requireSupervisor } from '../reviewQueue/reviewPolicy';
import { auditRange, csvCell, vietnamDateTime } from '../reviewQueue/reviewConsole';

export interface RefundDueRow {
  refundId: string;
  gatewayReference: string;
  paymentRequestId: string;
  applicationId: string | null;
  amount: number;
  paidAt: string;
  receivedAt: string;
  /** Rendered as reasons are (`{ code, message }`); the gateway transaction stores `{ code, vi, en }`. */
  reason: { code: string; message: { vi: string; en: string } } | null;
}

function refundRow(txn: GatewayTransactionItem): RefundDueRow {
  return {
    refundId: txn.gatewayReference,
    gatewayReference: txn.gatewayReference,
    paymentRequestId: txn.paymentRequestId,
    applicationId: txn.applicationId,
    amount: txn.amount,
    paidAt: txn.paidAt,
    receivedAt: txn.refundDueAt ?? txn.receivedAt,
    reason: txn.reason ? { code: txn.reason.code, message: { vi: txn.reason.vi, en: txn.reason.en } } : null,
  };
}

/** The province's refunds due, oldest first, with their total (đồng). */
export async function refundsDue(principal: StaffPrincipal): Promise<{ items: RefundDueRow[]; count: number; totalAmount: number }> {
  requireSupervisor(principal);
  const items = (await paymentsRepository.refundsDue(principal.provinceCode)).map(refundRow);
  return { items, count: items.length, totalAmount: items.reduce((sum, r) => sum + r.amount, 0) };
}

export const RECONCILIATION_CSV_COLUMNS = [
  'receivedAt', 'receivedAtVietnam', 'gatewayReference', 'paymentRequestId', 'applicationId', 'amount', 'gatewayPaidAt',
  'outcome', 'refundDue', 'reasonCode', 'reasonVi', 'reasonEn',
] as const;

/** Every payment received on `day` (Asia/Ho_Chi_Minh) in the caller's province, oldest first. */
export async function reconciliationCsv(principal: StaffPrincipal, day: string): Promise<{ filename: string; csv: string; rows: number }> {
  requireSupervisor(principal);
  auditRange(day, day); // 400 INVALID_DATE_RANGE unless a real YYYY-MM-DD
  const rows = await paymentsRepository.transactionsOfDay(principal.provinceCode, day);
  const lines = rows.map((t) =>
    [
      t.receivedAt, vietnamDateTime(t.receivedAt), t.gatewayReference, t.paymentRequestId, t.applicationId, t.amount, t.paidAt,
      t.outcome, t.outcome === 'REFUND_DUE' ? 'yes' : 'no', t.reason?.code ?? '', t.reason?.vi ?? '', t.reason?.en ?? '',
    ]
      .map((v) => csvCell(typeof v === 'number' ? String(v) : v))
      .join(','),
  );
  const csv = `\uFEFF${RECONCILIATION_CSV_COLUMNS.map(csvCell).join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
  return { filename: `payments-reconciliation-${principal.provinceCode}-${day}.csv`, csv, rows: lines.length };
}
