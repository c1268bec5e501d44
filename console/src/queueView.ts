/// <reference lib="dom" />
/**
 * The queue: counts per status (decided ones over the stats window), filters (status, service, reason, overdue,
 * escalated — the overdue / escalated chips are filters too), the items page by page ("Tải thêm" follows
 * nextCursor with the same filters; no total is claimed that the list does not have). Active items show the
 * target date (Hạn xử lý, escalateAt; overdue highlighted) and the review deadline (Hết hạn xét duyệt, dueAt;
 * past-deadline marked); decided ones who decided and when. Supervisors also get the overview and the audit CSV.
 * The periodic refresh keeps the rows shown and keyboard focus on the same control (by id).
 */
import { h, clear, type Child } from './dom';
import { get, getText, enc, post } from './api';
import {
  REASON_CODES,
  SERVICE_LABELS,
  STATUS_LABELS,
  formatDuration,
  formatInstant,
  formatRelative,
  labelOf,
  pick,
  reasonLabel,
  t,
  type Bilingual,
} from './i18n';
import { errorMessage, flash, serverNow, state, syncClock } from './state';
import { paymentsPanel } from './paymentsView';
import { searchPanel } from './searchView';
import { noticesPanel } from './noticesView';
import { officerName, rememberOfficerNames, staffText } from './describe';
import type { ConsoleQueueRow, KnownOfficer, listConsoleQueue, ReviewStats } from '../../functions/reviewQueue/reviewConsole';

// The staff API's own shapes (type-only: erased from the bundle), so the console and the API share one contract.
export type QueueRow = ConsoleQueueRow;
type QueueResponse = Awaited<ReturnType<typeof listConsoleQueue>>;
type Stats = ReviewStats;
export type Officer = KnownOfficer;

export interface QueueFilters {
  status: string;
  service: string;
  reason: string;
  escalated: boolean;
  overdue: boolean;
}

const STATUSES = ['OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;
const DECIDED = new Set(['APPROVED', 'REJECTED', 'EXPIRED']);
const ACTIVE_STATUSES = new Set(['ACTIVE', 'OPEN', 'CLAIMED']);

const filters: QueueFilters = { status: 'ACTIVE', service: '', reason: '', escalated: false, overdue: false };

/** Rows per page: 50, or `?pageSize=` (1..200) in the console's address (handy for a long queue, and for tests). */
export function pageSize(): number {
  const raw = Number(new URLSearchParams(location.search).get('pageSize'));
  return Number.isInteger(raw) && raw >= 1 ? Math.min(200, raw) : 50;
}

function queryString(limit: number, cursor: string | null): string {
  const q = new URLSearchParams();
  q.set('status', filters.status);
  if (filters.service) q.set('service', filters.service);
  if (filters.reason) q.set('reason', filters.reason);
  if (filters.escalated) q.set('escalated', 'true');
  if (filters.overdue) q.set('overdue', 'true');
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

function select(id: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const sel = h('select', { id, name: id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, label), sel);
}

/** The overdue / escalated filters only make sense for items still being worked on. */
function keepActive(): void {
  if (!ACTIVE_STATUSES.has(filters.status)) filters.status = 'ACTIVE';
}

function countsBar(stats: Stats | null, rerender: () => void): HTMLElement {
  const days = stats?.decidedWindowDays ?? 30;
  const flagChip = (key: 'overdue' | 'escalated', label: string, value: number) =>
    h('li', {}, h('button', {
      type: 'button',
      id: `chip-${key}`,
      class: `count-chip ${key}-chip${filters[key] ? ' selected' : ''}`,
      'aria-pressed': filters[key] ? 'true' : 'false',
      onclick: () => {
        filters[key] = !filters[key];
        if (filters[key]) keepActive();
        rerender();
      },
    },
    h('span', { class: 'count-label' }, label),
    h('span', { class: 'count-value', 'data-testid': `count-${key}` }, String(value)),
    ));
  return h('section', { class: 'counts', 'aria-labelledby': 'counts-title' },
    h('h2', { id: 'counts-title', class: 'visually-hidden' }, t('countsTitle')),
    h('ul', { class: 'count-list' },
      STATUSES.map((s) =>
        h('li', {},
          h('button', {
            type: 'button',
            id: `chip-${s}`,
            class: `count-chip status-${s.toLowerCase()}${filters.status === s ? ' selected' : ''}`,
            'aria-pressed': filters.status === s ? 'true' : 'false',
            'data-status': s,
            onclick: () => {
              filters.status = filters.status === s ? 'ACTIVE' : s;
              if (DECIDED.has(filters.status)) filters.overdue = filters.escalated = false;
              rerender();
            },
          },
          h('span', { class: 'count-label' }, labelOf(STATUS_LABELS, s)),
          DECIDED.has(s) ? h('span', { class: 'count-window' }, `(${t('lastDays', { n: days })})`) : null,
          h('span', { class: 'count-value', 'data-testid': `count-${s}` }, stats ? String(stats.byStatus[s] ?? 0) : '…'),
          ),
        ),
      ),
      stats ? flagChip('overdue', t('overdueCount'), stats.overdue) : null,
      stats ? flagChip('escalated', t('escalatedCount'), stats.escalated) : null,
    ),
  );
}

function filterBar(rerender: () => void, refresh: () => void): HTMLElement {
  const flag = (key: 'overdue' | 'escalated', label: string) =>
    h('div', { class: 'field checkbox' },
      h('input', { type: 'checkbox', id: `filter-${key}`, checked: filters[key], onchange: (e: Event) => {
        filters[key] = (e.target as HTMLInputElement).checked;
        if (filters[key]) keepActive();
        rerender();
      } }),
      h('label', { for: `filter-${key}` }, label),
    );
  return h('form', { class: 'filters', 'aria-label': t('filters'), onsubmit: (e: Event) => e.preventDefault() },
    select('filter-status', t('status'), [['ACTIVE', t('active')], ...STATUSES.map((s) => [s, labelOf(STATUS_LABELS, s)] as [string, string])], filters.status, (v) => {
      filters.status = v;
      if (DECIDED.has(v)) filters.overdue = filters.escalated = false;
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
    h('div', { class: 'flags' }, flag('overdue', t('overdueOnly')), flag('escalated', t('escalatedOnly'))),
    h('button', { type: 'button', class: 'secondary', id: 'refresh-queue', onclick: () => refresh() }, t('refresh')),
  );
}

/** Puts the filter controls in step with `filters` (a chip may have changed them). */
function syncFilterControls(): void {
  const statusSelect = document.getElementById('filter-status') as HTMLSelectElement | null;
  if (statusSelect) statusSelect.value = filters.status;
  for (const key of ['overdue', 'escalated'] as const) {
    const box = document.getElementById(`filter-${key}`) as HTMLInputElement | null;
    if (box) box.checked = filters[key];
  }
}

function staffCell(id: string | null): Child {
  if (!id) return h('span', { class: 'muted' }, t('nobody'));
  const name = officerName(id);
  const label = name ? `${name} (${id})` : id;
  return id === state.me?.staffId ? `${label} — ${t('you')}` : label;
}

/** Whom the item is about: the submitted name and the masked personal ID (never the full ID). */
function subjectCell(row: QueueRow): HTMLElement {
  return h('td', { class: 'col-subject' },
    row.fullName ? h('div', { 'data-testid': 'subject-name' }, row.fullName) : h('span', { class: 'muted' }, '—'),
    row.maskedPersonalId ? h('div', { class: 'muted small mono', 'data-testid': 'subject-id' }, row.maskedPersonalId) : null,
  );
}

function timeCell(iso: string | null, extra?: Child): Child {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return [h('time', { datetime: iso }, formatInstant(iso)), extra];
}

function reasonCell(row: QueueRow): HTMLElement {
  return h('td', { class: 'reason' },
    h('a', { href: `#/items/${encodeURIComponent(row.itemId)}`, class: 'item-link', id: `item-link-${row.itemId}` }, pick(row.reason.message)),
    row.escalated ? h('span', { class: 'badge badge-escalated' }, t('escalated')) : null,
    h('div', { class: 'muted small mono' }, row.itemId),
  );
}

// Past the deadline an active item is not "Chờ xử lý": its status says the deadline passed (one status, no contradiction).
const statusCell = (row: QueueRow) =>
  h('td', { class: 'col-status' }, row.pastDeadline && (row.status === 'OPEN' || row.status === 'CLAIMED')
    ? h('span', { class: 'status status-expired', 'data-testid': 'row-status' }, t('pastDeadline'))
    : h('span', { class: `status status-${row.status.toLowerCase()}`, 'data-testid': 'row-status' }, labelOf(STATUS_LABELS, row.status)));

function activeTable(rows: QueueRow[]): HTMLElement {
  const now = serverNow();
  return h('table', { class: 'queue active-list', 'data-testid': 'queue-table' },
    h('caption', { class: 'visually-hidden' }, t('queueTitle')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'col-target' }, t('due')),
      h('th', { scope: 'col', class: 'col-deadline' }, t('deadline')),
      h('th', { scope: 'col', class: 'col-subject' }, t('citizen')),
      h('th', { scope: 'col' }, t('reason')),
      h('th', { scope: 'col', class: 'col-service' }, t('service')),
      h('th', { scope: 'col', class: 'col-age' }, t('age')),
      h('th', { scope: 'col', class: 'col-holder' }, t('holder')),
      h('th', { scope: 'col', class: 'col-status' }, t('status')),
    )),
    h('tbody', {},
      rows.map((row) =>
        h('tr', {
          class: [row.overdue ? 'overdue' : '', row.pastDeadline ? 'past-deadline' : ''].filter(Boolean).join(' '),
          'data-item-id': row.itemId,
          'data-status': row.status,
          'data-overdue': String(row.overdue),
          'data-past-deadline': String(row.pastDeadline),
        },
          h('td', { class: 'col-target' }, timeCell(row.escalateAt,
            row.overdue
              ? h('span', { class: 'badge badge-overdue' }, t('overdue'))
              : h('div', { class: 'muted small' }, formatRelative(Date.parse(row.escalateAt) - now)))),
          h('td', { class: 'col-deadline' }, timeCell(row.dueAt,
            row.pastDeadline ? h('span', { class: 'badge badge-past-deadline' }, t('pastDeadline')) : null)),
          subjectCell(row),
          reasonCell(row),
          h('td', { class: 'col-service' }, labelOf(SERVICE_LABELS, row.service)),
          h('td', { class: 'col-age' }, formatDuration(now - Date.parse(row.createdAt))),
          h('td', { class: 'col-holder' }, staffCell(row.claimedBy)),
          statusCell(row),
        ),
      ),
    ),
  );
}

function decidedTable(rows: QueueRow[], status: string): HTMLElement {
  const expired = status === 'EXPIRED';
  return h('table', { class: 'queue decided-list', 'data-testid': 'queue-table' },
    h('caption', { class: 'visually-hidden' }, t('queueTitle')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'col-when' }, expired ? t('expiredAt') : t('decidedAt')),
      h('th', { scope: 'col', class: 'col-subject' }, t('citizen')),
      h('th', { scope: 'col' }, t('reason')),
      h('th', { scope: 'col', class: 'col-service' }, t('service')),
      h('th', { scope: 'col', class: 'col-holder' }, t('decidedBy')),
      h('th', { scope: 'col', class: 'col-status' }, t('status')),
    )),
    h('tbody', {},
      rows.map((row) => {
        const isExpired = row.status === 'EXPIRED';
        return h('tr', { 'data-item-id': row.itemId, 'data-status': row.status },
          h('td', { class: 'col-when' }, timeCell(isExpired ? row.expiredAt ?? row.dueAt : row.decidedAt)),
          subjectCell(row),
          reasonCell(row),
          h('td', { class: 'col-service' }, labelOf(SERVICE_LABELS, row.service)),
          h('td', { class: 'col-holder', 'data-testid': 'decided-by' },
            isExpired
              ? [h('span', {}, t('expiredAuto')), row.claimedBy ? h('div', { class: 'muted small' }, t('heldWhenExpired', { who: staffText(row.claimedBy) })) : null]
              : staffCell(row.decidedBy)),
          statusCell(row),
        );
      }),
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
                h('td', {}, staffCell(id)), h('td', { class: 'num' }, String(s.claimed)), h('td', { class: 'num' }, String(s.overdue)),
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

/** Downloads a CSV route of the staff API as a file; returns its row count (x-audit-rows). */
export async function downloadCsv(path: string, fallbackName: string): Promise<string> {
  const out = await getText(path);
  const blob = new Blob([out.text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: out.filename ?? fallbackName, class: 'visually-hidden' }, 'csv');
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 1000);
  return out.headers.get('x-audit-rows') ?? '?';
}

export function vnDay(offsetDays = 0): string {
  return vnToday(offsetDays);
}

function exportPanel(): HTMLElement {
  const from = h('input', { type: 'date', id: 'export-from', name: 'from', value: vnToday(-30), required: true });
  const to = h('input', { type: 'date', id: 'export-to', name: 'to', value: vnToday(), required: true });
  const status = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'export-status' });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const rows = await downloadCsv(`/v1/review-audit.csv?from=${enc(from.value)}&to=${enc(to.value)}`, 'review-audit.csv');
      status.textContent = t('exported', { n: rows });
    } catch (error) {
      flash('error', errorMessage(error));
    }
  };
  return h('section', { class: 'panel export', 'aria-labelledby': 'export-title', 'data-testid': 'export-panel' },
    h('h2', { id: 'export-title' }, t('exportTitle')),
    h('p', { class: 'muted small' }, t('exportHint')),
    h('form', { class: 'inline-form', onsubmit: submit },
      h('div', { class: 'field' }, h('label', { for: 'export-from' }, t('from')), from),
      h('div', { class: 'field' }, h('label', { for: 'export-to' }, t('to')), to),
      h('button', { type: 'submit', id: 'export-csv' }, t('download')),
    ),
    status,
  );
}

interface RecheckSummary {
  checked: number;
  resumed: number;
  newReason: number;
  stillUnavailable: number;
  more: boolean;
}

/**
 * Supervisors: once the population registry is back, one action re-checks every item waiting because it did not
 * answer (POST /v1/review-items/recheck-registry); the queue is then reloaded.
 */
function registryRecheckPanel(reload: () => void): HTMLElement {
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'bulk-recheck-status' });
  const button = h('button', { type: 'button', id: 'bulk-recheck-registry' }, t('bulkRecheck')) as HTMLButtonElement;
  button.onclick = async () => {
    button.disabled = true;
    try {
      const out = (await post<RecheckSummary>('/v1/review-items/recheck-registry')).body;
      status.textContent = t('bulkRecheckDone', { checked: out.checked, resumed: out.resumed, newReason: out.newReason, still: out.stillUnavailable }) +
        (out.more ? ` ${t('bulkRecheckMore')}` : '');
      reload();
    } catch (error) {
      flash('error', errorMessage(error));
    } finally {
      button.disabled = false;
    }
  };
  return h('section', { class: 'panel recheck', 'aria-labelledby': 'recheck-title', 'data-testid': 'bulk-recheck-panel' },
    h('h2', { id: 'recheck-title' }, t('bulkRecheckTitle')),
    h('p', { class: 'muted small' }, t('bulkRecheckHint')),
    button,
    status,
  );
}

let timer: number | undefined;
/** The province's officers (supervisors only; GET /v1/staff/officers); their names are remembered for every view. */
export async function loadOfficers(): Promise<Officer[]> {
  const out = await get<{ officers: Officer[] }>('/v1/staff/officers');
  rememberOfficerNames(Object.fromEntries(out.officers.map((o) => [o.staffId, o.name])));
  return out.officers;
}

/** The officers' names a page of rows carries (every officer sees them, not only supervisors). */
function rememberRowNames(rows: QueueRow[]): void {
  rememberOfficerNames(Object.fromEntries(rows.flatMap((r) => [[r.claimedBy ?? '', r.claimedByName], [r.decidedBy ?? '', r.decidedByName]]).filter(([id]) => id)));
}

/** The id of the focused control, to put keyboard focus back on it after a re-render. */
function focusedId(): string | null {
  const el = document.activeElement as HTMLElement | null;
  return el && el !== document.body && el.id ? el.id : null;
}

function restoreFocus(id: string | null): void {
  if (!id) return;
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected && active.id === id) return;
  const el = document.getElementById(id);
  if (el) el.focus({ preventScroll: true });
}

export async function renderQueue(main: HTMLElement): Promise<void> {
  window.clearInterval(timer);
  const heading = h('h1', { tabindex: -1, id: 'view-title' }, t('queueTitle'), state.me ? ` — ${state.me.provinceName}` : '');
  const countsSlot = h('div', {});
  // The only live region of the queue: one short line, not the table.
  const summary = h('p', { id: 'queue-summary', class: 'summary', role: 'status', 'aria-live': 'polite', tabindex: -1, 'data-testid': 'queue-summary' }, t('loading'));
  const listSlot = h('div', { 'aria-busy': 'true', id: 'queue-list' });
  const supervisorSlot = h('div', {});
  const size = pageSize();
  let rows: QueueRow[] = [];
  let nextCursor: string | null = null;
  let listStatus = filters.status;
  let loading = false;
  // One list operation at a time: a user's action waits for a refresh in flight instead of being dropped.
  let chain: Promise<void> = Promise.resolve();
  const serial = (work: () => Promise<void>) => {
    chain = chain.then(work, work);
    return chain;
  };
  const rerender = () => void serial(() => load(false));
  clear(main);
  main.append(heading, searchPanel(), countsSlot, filterBar(rerender, () => void serial(() => load(true))), summary, listSlot, supervisorSlot);
  // The audit CSV is for supervisors only (the API answers 403 SUPERVISOR_ONLY to staff).
  if (state.me?.supervisor) main.append(noticesPanel(), registryRecheckPanel(() => void serial(() => load(true))), exportPanel(), paymentsPanel());
  heading.focus();

  function paint(): void {
    clear(listSlot);
    summary.textContent = rows.length === 0 ? t('shownNone') : nextCursor ? t('shownSome', { n: rows.length }) : t('shownAll', { n: rows.length });
    if (rows.length === 0) {
      listSlot.append(h('p', { class: 'empty', 'data-testid': 'queue-empty' }, t('empty')));
      return;
    }
    listSlot.append(h('div', { class: 'table-wrap' }, DECIDED.has(listStatus) ? decidedTable(rows, listStatus) : activeTable(rows)));
    if (nextCursor) {
      listSlot.append(h('p', { class: 'load-more' },
        h('button', { type: 'button', class: 'secondary', id: 'load-more', onclick: () => void serial(more) }, t('loadMore'))));
    }
  }

  /**
   * Loads the list from its first page. A periodic / manual refresh (`keep`) reloads as many rows as are shown, so
   * pages added with "Tải thêm" stay; a filter change starts again from one page.
   */
  async function load(keep: boolean): Promise<void> {
    loading = true;
    const focus = focusedId();
    listSlot.setAttribute('aria-busy', 'true');
    try {
      const target = keep ? Math.max(size, rows.length) : size;
      const statsCall = get<Stats>('/v1/review-stats');
      // Supervisors: officers' names for the per-officer counts (the page works without them).
      const officersCall = state.me?.supervisor ? loadOfficers().catch(() => null) : null;
      const items: QueueRow[] = [];
      let cursor: string | null = null;
      let first: QueueResponse | null = null;
      do {
        const page: QueueResponse = await get<QueueResponse>(`/v1/review-queue?${queryString(Math.min(200, Math.max(size, target - items.length)), cursor)}`);
        first ??= page;
        items.push(...page.items);
        cursor = page.nextCursor ?? null;
      } while (cursor && items.length < target);
      const stats = await statsCall;
      await officersCall;
      syncClock(first.now);
      rememberRowNames(items);
      rows = items;
      nextCursor = cursor;
      listStatus = first.status ?? filters.status;
      clear(countsSlot);
      countsSlot.append(countsBar(stats, rerender));
      paint();
      clear(supervisorSlot);
      const panel = supervisorPanel(stats);
      if (panel) supervisorSlot.append(panel);
      syncFilterControls();
      restoreFocus(focus);
    } catch (error) {
      clear(listSlot);
      summary.textContent = '';
      flash('error', errorMessage(error));
    } finally {
      loading = false;
      listSlot.setAttribute('aria-busy', 'false');
    }
  }

  async function more(): Promise<void> {
    if (!nextCursor) return;
    loading = true;
    const button = document.getElementById('load-more') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    const firstNew = rows.length;
    try {
      const page = await get<QueueResponse>(`/v1/review-queue?${queryString(size, nextCursor)}`);
      syncClock(page.now);
      rememberRowNames(page.items);
      const known = new Set(rows.map((r) => r.itemId));
      rows = [...rows, ...page.items.filter((r) => !known.has(r.itemId))];
      nextCursor = page.nextCursor ?? null;
      paint();
      // Keyboard users continue at the first row that was added.
      const next = rows[firstNew];
      const target = next ? document.getElementById(`item-link-${next.itemId}`) : document.getElementById('load-more');
      (target ?? summary).focus();
    } catch (error) {
      if (button) button.disabled = false;
      flash('error', errorMessage(error));
    } finally {
      loading = false;
    }
  }

  await serial(() => load(false));
  timer = window.setInterval(() => {
    // A refresh is skipped while anything else runs (no pile-up), on an item page, or in a hidden tab.
    if (loading || location.hash.startsWith('#/items/') || document.hidden) return;
    void serial(() => load(true));
  }, refreshEveryMs());
}

/** 60 s, or `?refreshMs=` (≥ 1000) in the console's address (tests). */
function refreshEveryMs(): number {
  const raw = Number(new URLSearchParams(location.search).get('refreshMs'));
  return Number.isFinite(raw) && raw >= 1000 ? raw : 60_000;
}
