/// <reference lib="dom" />
/**
 * One review item: what the citizen submitted beside what the registry returned (differences highlighted), the
 * application's timeline and the audit trail in plain words (describe.ts), and the actions: claim / release,
 * reveal the personal ID (with a purpose, audited), reassign to an officer of the province (supervisors), approve
 * with corrections and an evidence note, reject with a reason. Past the review deadline nothing can be decided
 * and the actions are hidden. A conflict (someone else holds or already decided the item) is shown and the item is
 * reloaded: nothing is overwritten.
 */
import { h, append, clear, type Child } from './dom';
import { ApiError, enc, get, post } from './api';
import {
  ACTION_LABELS,
  AMOUNT_LABELS,
  APPLICATION_STATUS_LABELS,
  STEP_LABELS,
  lang,
  formatMoney,
  EVENT_LABELS,
  FIELD_OUTCOME_LABELS,
  RELATION_LABELS,
  SERVICE_LABELS,
  STATUS_LABELS,
  formatDate,
  formatDuration,
  formatInstant,
  formatWorkingDuration,
  labelOf,
  pick,
  recheckMessage,
  t,
  type Bilingual,
  type TextKey,
} from './i18n';
import { changeNode, detailNode, recordText, rememberOfficerNames, staffText } from './describe';
import { loadOfficers, type Officer } from './queueView';
import { clearFlash, errorMessage, flash, isConflict, serverNow, state, syncClock } from './state';
import type { FieldCheck } from '../../functions/domain/identity/fieldChecks';
import { timeLeft } from '../../functions/domain/reviewWindow';
// The console is deployed with the functions: the same working hours and public holidays count the time left.
import { workingScheduleOf } from '../../functions/shared/workingHours';
import type { ReviewItemStaffView } from '../../functions/reviewQueue/reviewItemsRepository';
import type { ConsoleAuditEntry, itemContext } from '../../functions/reviewQueue/reviewConsole';
import type { ExplanationStep } from '../../functions/domain/explanations/types';

// The staff API's own shapes (type-only: erased from the bundle), so the console and the API share one contract.
type FieldRow = FieldCheck;
type ItemView = ReviewItemStaffView;
type ItemContext = Awaited<ReturnType<typeof itemContext>>;
type AuditEntry = ConsoleAuditEntry;

interface HouseholdMember {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  relationToHead: string;
  identityLinked?: boolean;
  permanentAddress?: { text: string };
}

/** Revealed IDs of the item on screen (kept in memory only, dropped when leaving the item). */
let revealed: { itemId: string; personalId: string; registryPersonalId: string | null } | null = null;

const isActive = (status: string) => status === 'OPEN' || status === 'CLAIMED';

/** A declared or registry value as text (dates dd/mm/yyyy, sex in words, the personal ID masked unless revealed). */
function fieldValue(row: FieldRow, side: 'declared' | 'registry'): Child {
  let value = row[side];
  if (row.field === 'personalId' && revealed && value !== null) value = side === 'declared' ? revealed.personalId : revealed.registryPersonalId ?? value;
  if (value === null) {
    if (side === 'declared') return row.field === 'household' ? h('span', { class: 'muted' }, '—') : h('span', { class: 'muted' }, t('notDeclared'));
    // Never "not in the registry" unless the registry said so.
    if (row.outcome === 'NOT_FOUND') return h('span', { class: 'muted' }, t('notInRegistry'));
    if (row.outcome === 'VERIFIED_EARLIER') return h('span', { class: 'muted' }, t('verifiedEarlier'));
    return h('span', { class: 'muted' }, t('notChecked'));
  }
  if (row.field === 'sex') return labelOf({ MALE: { vi: 'Nam', en: 'Male' }, FEMALE: { vi: 'Nữ', en: 'Female' } }, value);
  if (row.field === 'dateOfBirth') return h('span', {}, formatDate(value));
  if (row.field === 'personalId') return h('span', { class: 'mono', 'data-testid': `pid-${side === 'declared' ? 'submitted' : 'registry'}` }, value);
  return value;
}

/** An item opened before field checks were recorded: no registry value means "not checked", never "not in the registry". */
function legacyRow(row: ItemView['comparison'][number]): FieldRow {
  const outcome = row.registry === null ? 'NOT_CHECKED' : row.submitted === null ? 'NOT_DECLARED' : row.matches ? 'MATCH' : 'DIFFERS';
  return { field: row.field, declared: row.submitted, registry: row.registry, outcome, ...(row.note ? { note: row.note } : {}) };
}

const OUTCOME_CLASS: Record<FieldRow['outcome'], string> = {
  MATCH: 'match', FOUND: 'match', VERIFIED_EARLIER: 'match', NOT_DECLARED: 'neutral',
  DIFFERS: 'differs', NOT_FOUND: 'differs', INCONSISTENT: 'differs', NOT_CHECKED: 'not-checked',
};

/** What was checked, field by field (the server's fieldChecks): declared, the registry's answer, or not checked and why. */
function comparisonTable(item: ItemView, onUseRegistry: ((field: string, value: string) => void) | null): HTMLElement {
  const rows = item.fieldChecks?.length ? item.fieldChecks : item.comparison.map(legacyRow);
  return h('section', { class: 'panel', 'aria-labelledby': 'cmp-title' },
    h('h2', { id: 'cmp-title' }, t('comparison')),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'comparison', 'data-testid': 'comparison' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('field')),
          h('th', { scope: 'col' }, t('submitted')),
          h('th', { scope: 'col' }, t('registry')),
          h('th', { scope: 'col' }, t('result')),
        )),
        h('tbody', {},
          rows.map((row) => {
            const canUse = onUseRegistry !== null && row.outcome === 'DIFFERS' && row.registry !== null && row.field !== 'personalId' && row.field !== 'household'
              && item.claimedBy === state.me?.staffId && item.status === 'CLAIMED';
            const cls = OUTCOME_CLASS[row.outcome] ?? 'not-checked';
            return h('tr', { class: cls, 'data-field': row.field, 'data-outcome': row.outcome },
              h('th', { scope: 'row' }, t(row.field as TextKey)),
              h('td', { class: 'submitted' }, fieldValue(row, 'declared')),
              h('td', { class: 'registry' }, fieldValue(row, 'registry')),
              h('td', { class: 'result' },
                h('span', { class: cls === 'match' ? 'ok' : cls === 'differs' ? 'diff' : 'muted', 'data-testid': `outcome-${row.field}` }, labelOf(FIELD_OUTCOME_LABELS, row.outcome)),
                row.note ? h('div', { class: 'note', 'data-testid': `note-${row.field}` }, t(row.note)) : null,
                row.why ? h('div', { class: 'note why', 'data-testid': `why-${row.field}`, lang: lang() }, pick(row.why.message)) : null,
                canUse
                  ? h('button', { type: 'button', class: 'link-button', onclick: () => onUseRegistry!(row.field, row.registry!) },
                      t('useRegistry'))
                  : null,
              ),
            );
          }),
        ),
      ),
    ),
  );
}

/**
 * "còn 6 giờ làm việc" until an instant of a working-time item (counted here with the province's working periods and
 * the public holidays, domain/reviewWindow.ts), "còn 3 ngày 2 giờ" for a calendar one; null once passed.
 */
function timeLeftText(item: ItemView, until: string): string | null {
  const at = new Date(serverNow()).toISOString();
  const left = item.reviewWindow?.basis === 'WORKING_TIME'
    ? timeLeft(at, until, 'WORKING_TIME', workingScheduleOf(item.provinceCode))
    : { ms: Math.max(0, Date.parse(until) - Date.parse(at)), basis: 'CALENDAR_DAYS' as const, missingHolidayYear: null };
  if (left.ms <= 0) return null;
  return left.basis === 'WORKING_TIME'
    ? t('workingTimeLeft', { d: formatWorkingDuration(left.ms) })
    : t('calendarTimeLeft', { d: formatDuration(left.ms) });
}

/** How the target and deadline were counted. */
function basisText(item: ItemView): string {
  const window = item.reviewWindow;
  if (window?.basis === 'CALENDAR_DAYS') return t('basisCalendarDays', { year: window.missingHolidayYear ?? '' });
  if (window?.basis === 'WORKING_TIME' && state.me?.escalateAfterHours && state.me.reviewDeadlineHours) {
    return t('basisWorkingTime', { target: state.me.escalateAfterHours, deadline: state.me.reviewDeadlineHours });
  }
  return t(window?.basis === 'WORKING_TIME' ? 'basisWorkingTimeShort' : 'basisCalendar');
}

function householdSection(item: ItemView): HTMLElement | null {
  const snap = item.registrySnapshot as { members?: HouseholdMember[]; address?: { text: string } } | null;
  if (!snap || !Array.isArray(snap.members)) return null;
  const problems = new Map((item.householdProblems ?? []).map((p) => [p.personalId, p.problem]));
  return h('section', { class: 'panel', 'aria-labelledby': 'hh-title' },
    h('h2', { id: 'hh-title' }, t('householdProblems')),
    snap.address ? h('p', { class: 'muted' }, snap.address.text) : null,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'compact', 'data-testid': 'household' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('fullName')),
          h('th', { scope: 'col' }, t('personalId')),
          h('th', { scope: 'col' }, t('dateOfBirth')),
          h('th', { scope: 'col' }, t('relation')),
          h('th', { scope: 'col' }, t('result')),
        )),
        h('tbody', {}, snap.members.map((m) => {
          const problem = problems.get(m.personalId);
          return h('tr', { class: problem ? 'differs' : '' },
            h('td', {}, m.fullName),
            h('td', { class: 'mono' }, m.personalId),
            h('td', {}, formatDate(m.dateOfBirth)),
            h('td', {}, labelOf(RELATION_LABELS, m.relationToHead)),
            h('td', {}, problem ? h('span', { class: 'diff' }, t(`${problem}_MEMBER` as TextKey)) : h('span', { class: 'ok' }, `✓ ${t('match')}`)),
          );
        })),
      ),
    ),
  );
}

function auditSection(entries: AuditEntry[]): HTMLElement {
  return h('section', { class: 'panel', 'aria-labelledby': 'audit-title' },
    h('h2', { id: 'audit-title' }, t('audit')),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'compact', 'data-testid': 'audit' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('when')),
          h('th', { scope: 'col' }, t('who')),
          h('th', { scope: 'col' }, t('what')),
          h('th', { scope: 'col' }, t('beforeAfter')),
        )),
        h('tbody', {}, entries.map((e) => {
          // An approval's corrections are shown as the identity before → after; no need to repeat them.
          const identityShown = Boolean((e.before as { identity?: unknown } | null)?.identity || (e.after as { identity?: unknown } | null)?.identity);
          return h('tr', { 'data-action': e.action },
            h('td', {}, h('time', { datetime: e.at }, formatInstant(e.at))),
            h('td', {}, staffText(e.by)),
            h('td', {}, h('span', { class: 'action' }, labelOf(ACTION_LABELS, e.action)),
              detailNode(e.detail, { action: e.action, omit: identityShown ? ['corrections'] : [] })),
            h('td', { class: 'before-after' }, changeNode(e.before, e.after, { action: e.action })),
          );
        })),
      ),
    ),
  );
}

type Step = ExplanationStep;

/** A step's figure in the reader's language (decimals kept: an average may be 7.838.437,5 ₫). */
function stepValue(step: Step): string {
  const n = (v: number) => new Intl.NumberFormat(lang() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 }).format(v);
  const approx = step.exact && !/^\d+(\.\d{1,2})?$/.test(String(step.value)) ? '≈ ' : '';
  switch (step.unit) {
    case 'VND': return `${approx}${n(step.value)} ₫`;
    case 'PERCENT': return `${n(step.value)} %`;
    case 'MONTHS': return `${n(step.value)} ${pick({ vi: 'tháng', en: step.value === 1 ? 'month' : 'months' })}`;
    case 'YEARS': return `${n(step.value)} ${pick({ vi: 'năm', en: step.value === 1 ? 'year' : 'years' })}`;
    case 'SALARY_MONTHS': return `${n(step.value)} ${pick({ vi: 'tháng lương', en: 'months of salary' })}`;
    default: return `${approx}${n(step.value)}`;
  }
}

function stepLabel(step: Step): string {
  const label = labelOf(STEP_LABELS, step.code);
  if (step.code === 'REVALUED_SALARY' && step.year !== undefined) {
    const coefficient = lang() === 'vi' ? String(step.coefficient).replace('.', ',') : String(step.coefficient);
    return `${label} ${step.year} (${step.months} ${pick({ vi: 'tháng', en: 'months' })} × ${coefficient})`;
  }
  if (step.code === 'REGIONAL_MINIMUM_WAGE' && step.region) return `${label} ${step.region}`;
  return label;
}

/** The application's amounts, each with its explanation in words and its steps with their instruments. */
function amountsSection(ctx: ItemContext): HTMLElement | null {
  const amounts = ctx.application?.amounts ?? [];
  if (!amounts.length) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'amounts-title', 'data-testid': 'amounts' },
    h('h2', { id: 'amounts-title' }, t('amounts')),
    amounts.map((a, i) =>
      h('div', { class: 'amount', 'data-testid': `amount-${a.kind}` },
        h('h3', {}, `${a.fullName ?? labelOf(AMOUNT_LABELS, a.kind)}: `, h('span', { 'data-testid': 'amount-value' }, formatMoney(a.amount))),
        h('p', { class: 'explanation', 'data-testid': 'explanation', lang: lang() }, pick(a.explanation)),
        h('details', {},
          h('summary', {}, t('calculationSteps')),
          h('div', { class: 'table-wrap' },
            h('table', { class: 'compact', 'data-testid': `steps-${i}` },
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('stepFigure')),
                h('th', { scope: 'col' }, t('stepValue')),
                h('th', { scope: 'col' }, t('stepInstrument')),
              )),
              h('tbody', {}, a.explanation.steps.map((step) =>
                h('tr', { 'data-step': step.code },
                  h('td', {}, stepLabel(step)),
                  h('td', { class: 'num' }, stepValue(step), step.applied === false ? h('span', { class: 'muted small' }, ` (${t('notApplied')})`) : null),
                  h('td', { class: 'small' }, step.instrument ? pick(step.instrument) : '—'),
                ),
              )),
            ),
          ),
        ),
      ),
    ),
  );
}

function timelineSection(ctx: ItemContext): HTMLElement | null {
  const app = ctx.application;
  if (!app) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, t('timeline')),
    h('p', {}, `${t('applicationId')}: `, h('span', { class: 'mono' }, app.applicationId), ' — ',
      h('strong', { 'data-testid': 'application-status' }, labelOf(APPLICATION_STATUS_LABELS, app.status)),
      app.reason ? h('span', { 'data-testid': 'application-reason' }, ` (${pick(app.reason.message)}${app.reason.note ? `: ${app.reason.note}` : ''})`) : null,
    ),
    h('ol', { class: 'timeline', 'data-testid': 'timeline' },
      app.timeline.map((e) =>
        h('li', {},
          h('time', { datetime: e.at }, formatInstant(e.at)),
          ' ',
          h('span', { class: 'event' }, labelOf(EVENT_LABELS, e.event)),
          e.status ? h('span', { class: `status status-${e.status.toLowerCase()}` }, labelOf(APPLICATION_STATUS_LABELS, e.status)) : null,
          detailNode(e.detail, { action: e.event }),
        ),
      ),
    ),
  );
}

function input(id: string, label: string, attrs: Record<string, string | number | boolean> = {}, hint?: string): HTMLElement {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, ...attrs, ...(hint ? { 'aria-describedby': `${id}-hint` } : {}) }),
    hint ? h('small', { id: `${id}-hint`, class: 'muted' }, hint) : null,
  );
}

function decisionSection(item: ItemView, act: Actions, pastDeadline: boolean): HTMLElement {
  const wrap = h('section', { class: 'panel decision', 'aria-labelledby': 'decision-title' }, h('h2', { id: 'decision-title' }, t('decision')));
  if (item.decision) {
    const d = item.decision;
    wrap.append(
      h('dl', { class: 'facts', 'data-testid': 'decision' },
        h('dt', {}, t('status')), h('dd', {}, labelOf(STATUS_LABELS, item.status)),
        h('dt', {}, t('decidedBy')), h('dd', {}, `${staffText(d.decidedBy)} — ${formatInstant(d.decidedAt)}`),
        d.reason ? [h('dt', {}, t('rejectReasonRead')), h('dd', {}, d.reason)] : null,
        d.evidenceNote ? [h('dt', {}, t('evidenceNoteRead')), h('dd', {}, d.evidenceNote)] : null,
        d.corrections && Object.keys(d.corrections).length
          ? [h('dt', {}, t('correctionsRead')), h('dd', { 'data-testid': 'decision-corrections' }, recordText(d.corrections))]
          : null,
      ),
    );
    return wrap;
  }
  if (!isActive(item.status)) {
    wrap.append(h('p', { 'data-testid': 'decision-none' }, labelOf(STATUS_LABELS, item.status),
      item.status !== 'EXPIRED'
        ? ''
        : item.closedReason
          ? ` — ${t('closedApplicationEnded')} (${item.closedReason})`
          : ` — ${t('deadline')}: ${formatInstant(item.dueAt)}`));
    return wrap;
  }
  if (pastDeadline) {
    wrap.append(h('p', { class: 'muted', 'data-testid': 'decision-past-deadline' }, t('pastDeadlineDecision')));
    return wrap;
  }
  if (item.status === 'OPEN') {
    wrap.append(h('p', { class: 'muted' }, t('decisionNeedsClaim')));
    return wrap;
  }
  if (item.claimedBy !== state.me?.staffId) {
    wrap.append(h('p', { class: 'muted' }, t('decisionHeldByOther')));
    return wrap;
  }
  const sexSelect = h('select', { id: 'corr-sex', name: 'corr-sex' },
    h('option', { value: '' }, t('keep')), h('option', { value: 'MALE' }, t('MALE')), h('option', { value: 'FEMALE' }, t('FEMALE')));
  const approveForm = h('form', { class: 'approve-form', 'data-testid': 'approve-form', novalidate: true },
    h('h3', {}, t('approveTitle')),
    h('p', { class: 'muted small' }, t('correctionsHint')),
    h('div', { class: 'grid-2' },
      input('corr-personalId', t('personalId'), { inputmode: 'numeric', pattern: '\\d{12}', maxlength: 12, autocomplete: 'off' }),
      input('corr-fullName', t('fullName'), { maxlength: 200, autocomplete: 'off' }),
      input('corr-dateOfBirth', t('dateOfBirth'), { type: 'date' }),
      h('div', { class: 'field' }, h('label', { for: 'corr-sex' }, t('sex')), sexSelect),
    ),
    h('div', { class: 'field' },
      h('label', { for: 'evidence-note' }, t('evidenceNote')),
      h('textarea', { id: 'evidence-note', name: 'evidence-note', rows: 2, maxlength: 2000, required: true, placeholder: t('evidencePlaceholder') }),
    ),
    h('button', { type: 'submit', class: 'approve', id: 'approve-button' }, t('approve')),
  );
  approveForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const val = (id: string) => (document.getElementById(id) as HTMLInputElement | HTMLSelectElement).value.trim();
    const note = val('evidence-note');
    if (!note) {
      flash('error', t('required'), t('evidenceNote'));
      (document.getElementById('evidence-note') as HTMLElement).focus();
      return;
    }
    const corrections: Record<string, string> = {};
    for (const f of ['personalId', 'fullName', 'dateOfBirth']) if (val(`corr-${f}`)) corrections[f] = val(`corr-${f}`);
    if (sexSelect.value) corrections.sex = sexSelect.value;
    void act.resolve({ decision: 'APPROVE', evidenceNote: note, ...(Object.keys(corrections).length ? { corrections } : {}) });
  });
  const rejectForm = h('form', { class: 'reject-form', 'data-testid': 'reject-form', novalidate: true },
    h('h3', {}, t('rejectTitle')),
    h('div', { class: 'field' },
      h('label', { for: 'reject-reason' }, t('rejectReason')),
      h('textarea', { id: 'reject-reason', name: 'reject-reason', rows: 2, maxlength: 2000, required: true }),
    ),
    h('button', { type: 'submit', class: 'reject', id: 'reject-button' }, t('reject')),
  );
  rejectForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = (document.getElementById('reject-reason') as HTMLTextAreaElement).value.trim();
    if (!reason) {
      flash('error', t('required'), t('rejectReason'));
      (document.getElementById('reject-reason') as HTMLElement).focus();
      return;
    }
    void act.resolve({ decision: 'REJECT', reason });
  });
  wrap.append(h('div', { class: 'grid-2 forms' }, approveForm, rejectForm));
  return wrap;
}

interface Actions {
  resolve: (body: Record<string, unknown>) => Promise<void>;
}

export async function renderItem(main: HTMLElement, itemId: string, keepFlash = false): Promise<void> {
  if (revealed && revealed.itemId !== itemId) revealed = null;
  if (!keepFlash) clearFlash();
  clear(main);
  main.append(h('p', { class: 'muted' }, t('loading')));
  const path = `/v1/review-items/${enc(itemId)}`;
  let item: ItemView;
  let ctx: ItemContext;
  let audit: { entries: AuditEntry[]; officerNames?: Record<string, string> };
  try {
    [item, ctx, audit] = await Promise.all([get<ItemView>(path), get<ItemContext>(`${path}/context`), get<{ entries: AuditEntry[] }>(`${path}/audit`)]);
  } catch (error) {
    clear(main);
    main.append(h('p', {}, h('a', { href: '#/queue' }, `← ${t('back')}`)), h('h1', { tabindex: -1, id: 'view-title' }, itemId));
    flash('error', errorMessage(error));
    return;
  }
  syncClock(ctx.now);
  // Officers by name (everyone the audit trail names, the holder too): staffText shows "Name (id)".
  rememberOfficerNames(audit.officerNames);
  const active = isActive(item.status);
  // The API says it (context.pastDeadline); the server clock decides when an older API does not.
  const pastDeadline = active && (ctx.pastDeadline ?? serverNow() >= Date.parse(item.dueAt));
  const canReassign = Boolean(state.me?.supervisor) && active && !pastDeadline;
  let officers: Officer[] | null = null;
  let officersError: unknown = null;
  if (canReassign) {
    try {
      officers = await loadOfficers();
    } catch (error) {
      officersError = error;
    }
  }

  const reload = (message?: { kind: 'success' | 'conflict' | 'error' | 'info'; text: string | Bilingual; extra?: string }, focusId?: string) => {
    void renderItem(main, itemId, true).then(() => {
      if (message) flash(message.kind, message.text, message.extra);
      if (focusId) document.getElementById(focusId)?.focus();
    });
  };

  /** Runs an action; a 409 shows the conflict and reloads the item instead of overwriting anything. */
  const run = async (button: HTMLButtonElement | null, action: () => Promise<string | Bilingual>, onError?: (error: unknown) => boolean) => {
    if (button) button.disabled = true;
    try {
      const done = await action();
      reload({ kind: 'success', text: done });
    } catch (error) {
      if (isConflict(error)) reload({ kind: 'conflict', text: errorMessage(error), extra: t('reloaded') });
      else if (!onError?.(error)) {
        flash('error', errorMessage(error));
        if (button) button.disabled = false;
      }
    }
  };

  const act: Actions = {
    resolve: (body) =>
      run(document.getElementById(body.decision === 'APPROVE' ? 'approve-button' : 'reject-button') as HTMLButtonElement, async () => {
        const out = await post<{ resumePending: boolean }>(`${path}/resolve`, body);
        return out.body?.resumePending ? t('resumePending') : t('decisionRecorded');
      }),
  };

  const mine = item.status === 'CLAIMED' && item.claimedBy === state.me?.staffId;
  const buttons: HTMLElement[] = [];
  if (item.status === 'OPEN' && !pastDeadline) {
    buttons.push(h('button', { type: 'button', id: 'claim-button', onclick: (e: Event) => run(e.currentTarget as HTMLButtonElement, async () => {
      await post(`${path}/claim`, { expectedVersion: item.version });
      return t('claimed');
    }) }, t('claim')));
  }
  if (item.status === 'CLAIMED' && (mine || state.me?.supervisor)) {
    buttons.push(h('button', { type: 'button', class: 'secondary', id: 'release-button', onclick: (e: Event) => run(e.currentTarget as HTMLButtonElement, async () => {
      await post(`${path}/release`, { expectedVersion: item.version });
      return t('releasedMsg');
    }) }, t('release')));
  }

  // Registry re-check (supervisors): only an active item opened because the registry did not answer.
  if (state.me?.supervisor && (item.status === 'OPEN' || item.status === 'CLAIMED') && item.reasonCode === 'REGISTRY_UNAVAILABLE' && !pastDeadline) {
    buttons.push(h('button', { type: 'button', class: 'secondary', id: 'recheck-registry-button', onclick: (e: Event) => run(e.currentTarget as HTMLButtonElement, async () => {
      const out = await post<{ outcome: string; reasonCode: string }>(`${path}/recheck-registry`);
      return recheckMessage(out.body.outcome, out.body.reasonCode);
    }) }, t('recheckRegistry')));
  }

  // Reveal: a purpose is asked first (required, 3..500 characters) and goes to the audit trail with the reveal.
  let revealForm: HTMLElement | null = null;
  if (!revealed) {
    const purpose = h('textarea', {
      id: 'reveal-purpose', name: 'reveal-purpose', rows: 2, minlength: 3, maxlength: 500, required: true,
      placeholder: t('revealPurposePlaceholder'), 'aria-describedby': 'reveal-note',
    });
    revealForm = h('form', { class: 'reveal-form', id: 'reveal-form', 'data-testid': 'reveal-form', novalidate: true, hidden: true },
      h('div', { class: 'field' }, h('label', { for: 'reveal-purpose' }, t('revealPurpose')), purpose),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'reveal-confirm' }, t('revealConfirm')),
        h('button', { type: 'button', class: 'secondary', id: 'reveal-cancel', onclick: () => toggleReveal(false) }, t('cancel')),
      ),
    );
    revealForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = purpose.value.trim();
      if (text.length < 3) {
        flash('error', t('required'), t('revealPurposeShort'));
        purpose.focus();
        return;
      }
      const confirm = document.getElementById('reveal-confirm') as HTMLButtonElement;
      confirm.disabled = true;
      void (async () => {
        try {
          const out = await post<{ personalId: string; registryPersonalId: string | null }>(`${path}/reveal`, { purpose: text });
          revealed = { itemId, personalId: out.body.personalId, registryPersonalId: out.body.registryPersonalId };
          reload({ kind: 'info', text: t('revealed') });
        } catch (error) {
          flash('error', errorMessage(error));
          confirm.disabled = false;
          purpose.focus();
        }
      })();
    });
    buttons.push(h('button', {
      type: 'button', class: 'secondary', id: 'reveal-button', 'aria-expanded': 'false', 'aria-controls': 'reveal-form', 'aria-describedby': 'reveal-note',
      onclick: () => toggleReveal(true),
    }, t('reveal')));
  }
  function toggleReveal(open: boolean): void {
    const form = document.getElementById('reveal-form');
    const button = document.getElementById('reveal-button');
    if (!form || !button) return;
    form.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) (document.getElementById('reveal-purpose') as HTMLElement).focus();
    else button.focus();
  }

  // Reassign (supervisors): the officers of the province who have signed in (GET /v1/staff/officers).
  let reassignForm: HTMLElement | null = null;
  if (canReassign) {
    reassignForm = h('form', { class: 'inline-form reassign-form', 'data-testid': 'reassign-form', novalidate: true });
    if (officers && officers.length) {
      const target = h('select', { id: 'reassign-to', name: 'reassign-to', required: true, 'aria-describedby': 'reassign-hint' },
        h('option', { value: '' }, t('chooseOfficer')),
        [...officers].sort((a, b) => a.name.localeCompare(b.name, 'vi')).map((o) =>
          h('option', { value: o.staffId, disabled: o.staffId === item.claimedBy },
            `${o.name} (${o.staffId})${o.staffId === item.claimedBy ? ` — ${t('currentHolder')}` : ''}`)),
      );
      reassignForm.addEventListener('submit', (e) => {
        e.preventDefault();
        const to = target.value;
        if (!to) {
          flash('error', t('required'), t('reassign'));
          target.focus();
          return;
        }
        void run(document.getElementById('reassign-button') as HTMLButtonElement, async () => {
          await post(`${path}/reassign`, { toStaffId: to, expectedVersion: item.version });
          return t('reassignedMsg');
        }, (error) => {
          if (!(error instanceof ApiError && error.code === 'UNKNOWN_OFFICER')) return false;
          reload({ kind: 'error', text: t('unknownOfficer'), extra: pick(error.text) }, 'reassign-to');
          return true;
        });
      });
      append(reassignForm, [
        h('div', { class: 'field' }, h('label', { for: 'reassign-to' }, t('reassign')), target),
        h('button', { type: 'submit', class: 'secondary', id: 'reassign-button' }, t('reassignButton')),
        h('p', { id: 'reassign-hint', class: 'muted small hint' }, t('officersHint')),
      ]);
    } else {
      reassignForm.append(h('p', { class: 'muted', 'data-testid': 'reassign-unavailable' },
        officersError ? `${t('officersFailed')} ${pick(errorMessage(officersError))}` : t('officersEmpty')));
    }
  }

  const setCorrection = (field: string, value: string) => {
    const el = document.getElementById(field === 'sex' ? 'corr-sex' : `corr-${field}`) as HTMLInputElement | null;
    if (el) {
      el.value = value;
      el.focus();
    }
  };

  const targetLeft = timeLeftText(item, ctx.escalateAt);
  const deadlineLeft = timeLeftText(item, item.dueAt);
  const holder = item.claimedBy ? (item.claimedBy === state.me?.staffId ? `${staffText(item.claimedBy)} — ${t('you')}` : staffText(item.claimedBy)) : t('nobody');
  clear(main);
  append(main, [
    h('p', {}, h('a', { href: '#/queue', id: 'back-link' }, `← ${t('back')}`)),
    h('header', { class: 'item-header' },
      h('h1', { tabindex: -1, id: 'view-title', 'data-testid': 'item-reason' }, pick(item.reason.message)),
      // One status at a time: past the deadline an item is neither "Chờ xử lý" nor merely "Quá hạn".
      h('p', { class: 'badges' },
        pastDeadline
          ? h('span', { class: 'badge badge-past-deadline', 'data-testid': 'past-deadline' }, t('pastDeadline'))
          : h('span', { class: `status status-${item.status.toLowerCase()}`, 'data-testid': 'item-status' }, labelOf(STATUS_LABELS, item.status)),
        active && ctx.overdue && !pastDeadline ? h('span', { class: 'badge badge-overdue' }, t('overdue')) : null,
        ctx.escalated ? h('span', { class: 'badge badge-escalated' }, t('escalated')) : null,
      ),
      h('dl', { class: 'facts' },
        h('dt', {}, t('itemId')), h('dd', { class: 'mono' }, item.itemId),
        h('dt', {}, t('applicationId')), h('dd', { class: 'mono' }, item.applicationId),
        h('dt', {}, t('service')), h('dd', {}, labelOf(SERVICE_LABELS, item.service)),
        h('dt', {}, t('subject')), h('dd', {}, t(item.subjectRole as TextKey)),
        h('dt', {}, t('openedAt')), h('dd', {}, formatInstant(item.createdAt)),
        h('dt', {}, t('due')), h('dd', { class: active && ctx.overdue ? 'overdue-text' : '' },
          h('span', { 'data-testid': 'item-target' }, formatInstant(ctx.escalateAt)),
          active && targetLeft ? h('span', { class: 'muted', 'data-testid': 'item-target-left' }, ` — ${targetLeft}`) : null),
        h('dt', {}, t('deadline')), h('dd', { class: pastDeadline ? 'overdue-text' : '' },
          h('span', { 'data-testid': 'item-deadline' }, formatInstant(item.dueAt)),
          active && deadlineLeft ? h('span', { class: 'muted', 'data-testid': 'item-deadline-left' }, ` — ${deadlineLeft}`) : null),
        ctx.escalatedAt ? [h('dt', {}, t('escalatedAtLabel')), h('dd', {}, formatInstant(ctx.escalatedAt))] : null,
        h('dt', {}, t('holder')), h('dd', { 'data-testid': 'item-holder' }, holder),
      ),
      h('p', { class: 'muted small', 'data-testid': 'deadline-basis' }, basisText(item)),
      pastDeadline ? h('p', { class: 'notice notice-deadline', role: 'note', 'data-testid': 'past-deadline-note' }, t('pastDeadlineNote')) : null,
      h('div', { class: 'actions' }, buttons),
      h('p', { id: 'reveal-note', class: 'muted small' }, revealed ? t('revealed') : t('revealNote')),
      revealForm,
      reassignForm,
    ),
    comparisonTable(item, pastDeadline ? null : (field, value) => setCorrection(field, value)),
    householdSection(item),
    decisionSection(item, act, pastDeadline),
    amountsSection(ctx),
    timelineSection(ctx),
    auditSection(audit.entries),
  ]);
  (document.getElementById('view-title') as HTMLElement).focus();
}

export function forgetRevealed(): void {
  revealed = null;
}
