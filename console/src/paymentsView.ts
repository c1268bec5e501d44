/// <reference lib="dom" />
/**
 * Supervisors' payments section of the queue page: the province's refunds due (GET /v1/refunds-due: money taken
 * for nothing — amount, gateway reference, application, reason) and the daily reconciliation CSV
 * (GET /v1/payments-reconciliation.csv?day=), to match the gateway's own statement.
 */
import { h } from './dom';
import { enc, get } from './api';
import { formatInstant, formatMoney, pick, t } from './i18n';
import { errorMessage, flash } from './state';
import { downloadCsv, vnDay } from './queueView';
import type { refundsDue } from '../../functions/household/paymentReports';

type RefundsDue = Awaited<ReturnType<typeof refundsDue>>;

export function paymentsPanel(): HTMLElement {
  const list = h('div', { 'data-testid': 'refunds-due' }, t('loading'));
  const day = h('input', { type: 'date', id: 'reconciliation-day', name: 'day', value: vnDay(), required: true });
  const status = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'reconciliation-status' });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const rows = await downloadCsv(`/v1/payments-reconciliation.csv?day=${enc(day.value)}`, 'payments-reconciliation.csv');
      status.textContent = t('exported', { n: rows });
    } catch (error) {
      flash('error', errorMessage(error));
    }
  };
  void get<RefundsDue>('/v1/refunds-due').then(
    (out) => {
      list.replaceChildren(
        h('p', { 'data-testid': 'refunds-total' }, t('refundsTotal', { n: out.count, amount: formatMoney(out.totalAmount) })),
        out.items.length === 0
          ? h('p', { class: 'empty' }, t('none'))
          : h('table', { class: 'compact' },
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('receivedAt')),
                h('th', { scope: 'col' }, t('gatewayReference')),
                h('th', { scope: 'col' }, t('application')),
                h('th', { scope: 'col' }, t('amount')),
                h('th', { scope: 'col' }, t('reason')),
              )),
              h('tbody', {}, out.items.map((r) => h('tr', { 'data-refund': r.refundId },
                h('td', {}, formatInstant(r.receivedAt)),
                h('td', {}, r.gatewayReference),
                h('td', {}, r.applicationId ?? ''),
                h('td', { class: 'num' }, formatMoney(r.amount)),
                h('td', {}, r.reason ? pick(r.reason.message) : ''),
              ))),
            ),
      );
    },
    (error) => list.replaceChildren(h('p', { class: 'error' }, pick(errorMessage(error)))),
  );
  return h('section', { class: 'panel payments', 'aria-labelledby': 'refunds-title', 'data-testid': 'payments-panel' },
    h('h2', { id: 'refunds-title' }, t('refundsTitle')),
    h('p', { class: 'muted small' }, t('refundsHint')),
    list,
    h('h3', {}, t('reconciliationTitle')),
    h('form', { class: 'inline-form', onsubmit: submit },
      h('div', { class: 'field' }, h('label', { for: 'reconciliation-day' }, t('day')), day),
      h('button', { type: 'submit', id: 'reconciliation-csv' }, t('download')),
    ),
    status,
  );
}
