/// <reference lib="dom" />
/**
 * The queue: counts per status, filters (status, service, reason, escalated), the items sorted by due time with
 * service, reason (Vietnamese), age, due time (overdue highlighted), who holds them; the supervisor overview and
 * the audit CSV export.
 */
import { h, clear, type Child } from './dom';
import { get, getText, enc } from './api';
import {
  REASON_CODES,
  SERVICE_LABELS,
  STATUS_LABELS,
  formatDuration,
  formatInstant,
  labelOf,
  pick,
  reasonLabel,
  t,
  type Bilingual,
} from './i18n';
import { errorMessage, flash, serverNow, state, syncClock } from './state';

export interface QueueRow {
  itemId: string;
  applicationId: string;
  status: string;
  service: string;
  reasonCode: string;
  reason: Bilingual;
  createdAt: string;
  dueAt: string;
  escalateAt: string;
  overdue: boolean;
  escalated: boolean;
  claimedBy: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  version: number;
}

interface QueueResponse {
  now: string;
  total: number;
  truncated: boolean;
  items: QueueRow[];
}

interface Stats {
  now: string;
  byStatus: Record<string, number>;
  overdue: number;
  escalated: number;
  byReason?: Record<string, { open: number; claimed: number; label: Bilingual }>;
  byStaff?: Record<string, { claimed: number; overdue: number; approved30d: number; rejected30d: number }>;
  oldestOpen?: { itemId: string; createdAt: string; ageSeconds: number } | null;
}

export interface QueueFilters {
  status: string;
  service: string;
  reason: string;
  escalated: boolean;
}

const filters: QueueFilters = { status: 'ACTIVE', service: '', reason: '', escalated: false };

function queryString(): string {
  const q = new URLSearchParams();
  q.set('status', filters.status);
  if (filters.service) q.set('service', filters.service);
  if (filters.reason) q.set('reason', filters.reason);
  if (filters.escalated) q.set('escalated', 'true');
  return q.toString();
}

function select(id: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const sel = h('select', { id, name: id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, label), sel);
}

function countsBar(stats: Stats | null, rerender: () => void): HTMLElement {
  const statuses = ['OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED'];
  return h('section', { class: 'counts', 'aria-labelledby': 'counts-title' },
    h('h2', { id: 'counts-title', class: 'visually-hidden' }, t('countsTitle')),
    h('ul', { class: 'count-list' },
      statuses.map((s) =>
        h('li', {},
          h('button', {
            type: 'button',
            class: `count-chip status-${s.toLowerCase()}${filters.status === s ? ' selected' : ''}`,
            'aria-pressed': filters.status === s ? 'true' : 'false',
            'data-status': s,
            onclick: () => {
              filters.status = filters.status === s ? 'ACTIVE' : s;
              rerender();
            },
          },
          h('span', { class: 'count-label' }, labelOf(STATUS_LABELS, s)),
          h('span', { class: 'count-value', 'data-testid': `count-${s}` }, stats ? String(stats.byStatus[s] ?? 0) : '…'),
          ),
        ),
      ),
      stats
        ? h('li', {}, h('span', { class: 'count-chip static overdue-chip' },
            h('span', { class: 'count-label' }, t('overdueCount')),
            h('span', { class: 'count-value', 'data-testid': 'count-overdue' }, String(stats.overdue)),
          ))
        : null,
      stats
        ? h('li', {}, h('span', { class: 'count-chip static' },
            h('span', { class: 'count-label' }, t('escalatedCount')),
            h('span', { class: 'count-value', 'data-testid': 'count-escalated' }, String(stats.escalated)),
          ))
        : null,
    ),
  );
}

function filterBar(rerender: () => void): HTMLElement {
  return h('form', { class: 'filters', 'aria-label': t('filters'), onsubmit: (e: Event) => e.preventDefault() },
    select('filter-status', t('status'), [['ACTIVE', t('active')], ...['OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED'].map((s) => [s, labelOf(STATUS_LABELS, s)] as [string, string])], filters.status, (v) => {
      filters.status = v;
      rerender();
    }),
    select('filter-service', t('service'), [['', t('all')], ...Object.keys(SERVICE_LABELS).map((s) => [s, labelOf(SERVICE_LABELS, s)] as [string, string])], filters.service, (v) => {
      filters.service = v;
      rerender();
    }),
    select('filter-reason', t('reason'), [['', t('all')], ...REASON_CODES.map((c) => [c, pick(reasonLabel(c))] as [string, string])], filters.reason, (v) => {
      filters.reason = v;
      rerender();
    }),
    h('div', { class: 'field checkbox' },
      h('input', { type: 'checkbox', id: 'filter-escalated', checked: filters.escalated, onchange: (e: Event) => {
        filters.escalated = (e.target as HTMLInputElement).checked;
        rerender();
      } }),
      h('label', { for: 'filter-escalated' }, t('escalatedOnly')),
    ),
    h('button', { type: 'button', class: 'secondary', id: 'refresh-queue', onclick: () => rerender() }, t('refresh')),
  );
}

function holderText(row: QueueRow): Child {
  const holder = row.claimedBy ?? row.decidedBy;
  if (!holder) return h('span', { class: 'muted' }, t('nobody'));
  return holder === state.me?.staffId ? `${holder} (${t('you')})` : holder;
}

function queueTable(data: QueueResponse): HTMLElement {
  if (data.items.length === 0) return h('p', { class: 'empty', 'data-testid': 'queue-empty' }, t('empty'));
  const now = serverNow();
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'queue', 'data-testid': 'queue-table' },
      h('caption', { class: 'visually-hidden' }, t('queueTitle')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('due')),
        h('th', { scope: 'col' }, t('reason')),
        h('th', { scope: 'col', class: 'col-service' }, t('service')),
        h('th', { scope: 'col', class: 'col-age' }, t('age')),
        h('th', { scope: 'col' }, t('holder')),
        h('th', { scope: 'col' }, t('status')),
      )),
      h('tbody', {},
        data.items.map((row) =>
          h('tr', { class: row.overdue ? 'overdue' : '', 'data-item-id': row.itemId, 'data-status': row.status },
            h('td', { class: 'due' },
              h('time', { datetime: row.dueAt }, formatInstant(row.dueAt)),
              row.overdue ? h('span', { class: 'badge badge-overdue' }, t('overdue')) : null,
            ),
            h('td', { class: 'reason' },
              h('a', { href: `#/items/${encodeURIComponent(row.itemId)}`, class: 'item-link' }, pick(row.reason)),
              row.escalated ? h('span', { class: 'badge badge-escalated' }, t('escalated')) : null,
              h('div', { class: 'muted small' }, row.itemId),
            ),
            h('td', { class: 'col-service' }, labelOf(SERVICE_LABELS, row.service)),
            h('td', { class: 'col-age' }, formatDuration(now - Date.parse(row.createdAt))),
            h('td', {}, holderText(row)),
            h('td', {}, h('span', { class: `status status-${row.status.toLowerCase()}` }, labelOf(STATUS_LABELS, row.status))),
          ),
        ),
      ),
    ),
  );
}

function supervisorPanel(stats: Stats): HTMLElement | null {
  if (!stats.byReason || !stats.byStaff) return null;
  const reasons = Object.entries(stats.byReason).sort((a, b) => b[1].open + b[1].claimed - (a[1].open + a[1].claimed));
  const staff = Object.entries(stats.byStaff).sort((a, b) => a[0].localeCompare(b[0]));
  return h('section', { class: 'panel supervisor', 'aria-labelledby': 'supervisor-title', 'data-testid': 'supervisor-panel' },
    h('h2', { id: 'supervisor-title' }, t('supervisorTitle')),
    h('p', { 'data-testid': 'oldest-open' },
      h('strong', {}, `${t('oldestOpen')}: `),
      stats.oldestOpen
        ? [formatDuration(stats.oldestOpen.ageSeconds * 1000), ' — ', h('a', { href: `#/items/${encodeURIComponent(stats.oldestOpen.itemId)}` }, stats.oldestOpen.itemId)]
        : t('none'),
    ),
    h('div', { class: 'grid-2' },
      h('div', {},
        h('h3', {}, t('perReason')),
        h('table', { class: 'compact', 'data-testid': 'per-reason' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('reason')), h('th', { scope: 'col' }, t('openCount')), h('th', { scope: 'col' }, t('claimedCount')))),
          h('tbody', {}, reasons.length
            ? reasons.map(([code, r]) => h('tr', { 'data-reason': code }, h('td', {}, pick(r.label)), h('td', { class: 'num' }, String(r.open)), h('td', { class: 'num' }, String(r.claimed))))
            : h('tr', {}, h('td', { colspan: 3 }, t('none')))),
        ),
      ),
      h('div', {},
        h('h3', {}, t('perStaff')),
        h('table', { class: 'compact', 'data-testid': 'per-staff' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('officer')),
            h('th', { scope: 'col' }, t('holding')),
            h('th', { scope: 'col' }, t('overdueCount')),
            h('th', { scope: 'col' }, t('approved30')),
            h('th', { scope: 'col' }, t('rejected30')),
          )),
          h('tbody', {}, staff.length
            ? staff.map(([id, s]) => h('tr', { 'data-staff': id },
                h('td', {}, id), h('td', { class: 'num' }, String(s.claimed)), h('td', { class: 'num' }, String(s.overdue)),
                h('td', { class: 'num' }, String(s.approved30d)), h('td', { class: 'num' }, String(s.rejected30d))))
            : h('tr', {}, h('td', { colspan: 5 }, t('none')))),
        ),
      ),
    ),
  );
}

function vnToday(offsetDays = 0): string {
  return new Date(serverNow() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function exportPanel(): HTMLElement {
  const from = h('input', { type: 'date', id: 'export-from', name: 'from', value: vnToday(-30), required: true });
  const to = h('input', { type: 'date', id: 'export-to', name: 'to', value: vnToday(), required: true });
  const status = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'export-status' });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const out = await getText(`/v1/review-audit.csv?from=${enc(from.value)}&to=${enc(to.value)}`);
      const blob = new Blob([out.text], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: out.filename ?? 'review-audit.csv', class: 'visually-hidden' }, 'csv');
      document.body.appendChild(a);
      a.click();
      setTimeout(() => {
        URL.revokeObjectURL(url);
        a.remove();
      }, 1000);
      status.textContent = t('exported', { n: out.headers.get('x-audit-rows') ?? '?' });
    } catch (error) {
      flash('error', errorMessage(error));
    }
  };
  return h('section', { class: 'panel export', 'aria-labelledby': 'export-title' },
    h('h2', { id: 'export-title' }, t('exportTitle')),
    h('form', { class: 'inline-form', onsubmit: submit },
      h('div', { class: 'field' }, h('label', { for: 'export-from' }, t('from')), from),
      h('div', { class: 'field' }, h('label', { for: 'export-to' }, t('to')), to),
      h('button', { type: 'submit', id: 'export-csv' }, t('download')),
    ),
    status,
  );
}

let timer: number | undefined;

export async function renderQueue(main: HTMLElement): Promise<void> {
  window.clearInterval(timer);
  const heading = h('h1', { tabindex: -1, id: 'view-title' }, t('queueTitle'), state.me ? ` — ${state.me.provinceName}` : '');
  const countsSlot = h('div', {});
  const listSlot = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  const supervisorSlot = h('div', {});
  const rerender = () => void load();
  clear(main);
  main.append(heading, countsSlot, filterBar(rerender), listSlot, supervisorSlot, exportPanel());
  heading.focus();

  async function load(): Promise<void> {
    listSlot.setAttribute('aria-busy', 'true');
    try {
      const [queue, stats] = await Promise.all([get<QueueResponse>(`/v1/review-queue?${queryString()}`), get<Stats>('/v1/review-stats')]);
      syncClock(queue.now);
      clear(countsSlot);
      countsSlot.append(countsBar(stats, rerender));
      clear(listSlot);
      listSlot.append(
        h('p', { class: 'muted small', 'data-testid': 'queue-total' }, `${queue.total} ${t('itemsShown')}`),
        queueTable(queue),
      );
      clear(supervisorSlot);
      const panel = supervisorPanel(stats);
      if (panel) supervisorSlot.append(panel);
      // Keep the filter controls in step (a count chip may have changed the status filter).
      const statusSelect = document.getElementById('filter-status') as HTMLSelectElement | null;
      if (statusSelect) statusSelect.value = filters.status;
    } catch (error) {
      clear(listSlot);
      flash('error', errorMessage(error));
    } finally {
      listSlot.setAttribute('aria-busy', 'false');
    }
  }

  await load();
  timer = window.setInterval(() => {
    if (location.hash.startsWith('#/items/') || document.hidden) return;
    void load();
  }, 60_000);
}
