/// <reference lib="dom" />
/**
 * Readable text for the details the API attaches to timeline events and audit entries: every key gets a
 * Vietnamese / English label, coded values their names, instants Vietnam time, amounts in đồng. Nothing is shown
 * as a raw key or as JSON (an unknown key falls back to its name, an unknown object to "label: value" pairs).
 */
import { h, type Child } from './dom';
import {
  DETAIL_LABELS,
  STATUS_LABELS,
  VALUE_LABELS,
  formatDate,
  formatInstant,
  formatMonth,
  formatMoney,
  labelOf,
  pick,
  reasonLabel,
  t,
} from './i18n';

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

const INSTANT_KEYS = new Set(['dueAt', 'escalateAt', 'paymentDueAt', 'escalatedAt', 'claimedAt', 'decidedAt', 'expiredAt']);
const DATE_KEYS = new Set(['validThrough', 'paymentDate', 'dateOfBirth', 'settledFrom', 'settledThrough', 'settledOn']);
const MONEY_KEYS = new Set(['total', 'amount', 'estimatedMonthlyBenefit']);
const STAFF_KEYS = new Set(['claimedBy', 'toStaffId', 'fromStaffId', 'decidedBy']);
/** Keys that say nothing an officer needs (the action already says it). */
const SILENT_KEYS = new Set(['field', 'executionArn']);
/** Order of the values wherever several are shown: the identity, then what matters most to an officer. */
const ORDER = [
  'personalId', 'fullName', 'dateOfBirth', 'sex',
  'status', 'claimedBy', 'reasonCode', 'decision', 'reason', 'evidenceNote', 'purpose', 'note',
  'escalateAt', 'dueAt', 'subjectRole', 'checkKind',
];

export function keyLabel(key: string): string {
  return DETAIL_LABELS[key] ? pick(DETAIL_LABELS[key]) : key;
}

/** Officers' display names the API has sent (queue rows, the audit trail, the officers list), by staff id. */
const officerNames = new Map<string, string>();

export function rememberOfficerNames(names: Record<string, string | null | undefined> | null | undefined): void {
  for (const [id, name] of Object.entries(names ?? {})) if (name) officerNames.set(id, name);
}

export function officerName(id: string): string | null {
  return officerNames.get(id) ?? null;
}

/** "Nguyễn Thị Lan (staff.79.1)" when the name is known, the id otherwise. */
export function staffText(id: unknown): string {
  if (id === null || id === undefined || id === '') return t('nobody');
  if (id === 'system' || id === 'SYSTEM') return t('system');
  const name = officerNames.get(String(id));
  return name ? `${name} (${String(id)})` : String(id);
}

function statusText(v: string): string {
  return v.split('|').map((s) => labelOf(STATUS_LABELS, s)).join(' / ');
}

function sortedKeys(rec: Rec): string[] {
  const keys = Object.keys(rec);
  const known = keys.filter((k) => ORDER.includes(k)).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  return [...known, ...keys.filter((k) => !ORDER.includes(k))];
}

/** "Họ và tên: Cao Văn Thắng; Ngày sinh: 14/02/1969" for an identity or any other small record. */
export function recordText(rec: Rec, context: { action?: string } = {}): string {
  return sortedKeys(rec)
    .filter((k) => !SILENT_KEYS.has(k) && rec[k] !== undefined)
    .map((k) => `${keyLabel(k)}: ${valueText(k, rec[k], context)}`)
    .join('; ');
}

/** One value, named by its key. */
export function valueText(key: string, value: unknown, context: { action?: string } = {}): string {
  if (value === null || value === undefined || value === '') {
    return STAFF_KEYS.has(key) ? t('nobody') : '—';
  }
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  if (Array.isArray(value)) return value.map((v) => valueText(key, v, context)).join(', ');
  if (isRecord(value)) {
    // A { vi, en } pair is text in two languages.
    if (typeof value.vi === 'string' && typeof value.en === 'string') return pick(value as { vi: string; en: string });
    return recordText(value, context);
  }
  if (typeof value === 'number') return MONEY_KEYS.has(key) ? formatMoney(value) : new Intl.NumberFormat('vi-VN').format(value);
  const text = String(value);
  if (key === 'status') return statusText(text);
  if (key === 'reasonCode') return pick(reasonLabel(text));
  if ((key === 'reason' && context.action === 'ESCALATED') || key === 'escalationReason') return labelOf(VALUE_LABELS.escalationReason, text);
  if (STAFF_KEYS.has(key)) return staffText(text);
  if (INSTANT_KEYS.has(key)) return formatInstant(text);
  if (DATE_KEYS.has(key)) return /^\d{4}-\d{2}$/.test(text) ? formatMonth(text) : formatDate(text);
  if (VALUE_LABELS[key]) return labelOf(VALUE_LABELS[key], text);
  return text;
}

/**
 * The details of a timeline event or an audit entry as readable parts ("Lý do: …", "Hết hạn xét duyệt: …").
 * `omit` drops keys shown elsewhere (e.g. the corrections of an approval shown as before → after).
 */
export function detailParts(detail: Rec | null | undefined, context: { action?: string; omit?: string[] } = {}): string[] {
  if (!detail) return [];
  const parts: string[] = [];
  for (const key of sortedKeys(detail)) {
    const value = detail[key];
    if (value === null || value === undefined || value === '' || SILENT_KEYS.has(key) || context.omit?.includes(key)) continue;
    if (isRecord(value) && Object.keys(value).length === 0) continue;
    // A reason code already names the reason: no "Lý do:" prefix needed.
    parts.push(key === 'reasonCode' ? valueText(key, value, context) : `${keyLabel(key)}: ${valueText(key, value, context)}`);
  }
  return parts;
}

export function detailNode(detail: Rec | null | undefined, context: { action?: string; omit?: string[] } = {}): HTMLElement | null {
  const parts = detailParts(detail, context);
  if (!parts.length) return null;
  return h('ul', { class: 'detail-list muted small' }, parts.map((p) => h('li', {}, p)));
}

interface Change {
  label: string;
  before: string;
  after: string;
}

function changesOf(before: Rec, after: Rec, context: { action?: string }, prefix = ''): Change[] {
  const keys = sortedKeys({ ...before, ...after });
  const out: Change[] = [];
  for (const key of keys) {
    if (SILENT_KEYS.has(key)) continue;
    const b = before[key];
    const a = after[key];
    const bilingual = (v: unknown) => isRecord(v) && typeof v.vi === 'string';
    if (!bilingual(a) && !bilingual(b) && (isRecord(b) || b == null) && (isRecord(a) || a == null) && (isRecord(a) || isRecord(b))) {
      out.push(...changesOf(isRecord(b) ? b : {}, isRecord(a) ? a : {}, context, key === 'identity' || key === 'corrections' ? '' : `${keyLabel(key)} · `));
      continue;
    }
    out.push({
      label: `${prefix}${keyLabel(key)}`,
      before: valueText(key, b, context),
      after: valueText(key, a, context),
    });
  }
  return out;
}

/** Before → after of an audit entry as a list of "Label: before → after" lines. */
export function changeNode(before: Rec | null, after: Rec | null, context: { action?: string } = {}): Child {
  const changes = changesOf(before ?? {}, after ?? {}, context);
  if (!changes.length) return h('span', { class: 'muted' }, '—');
  return h('ul', { class: 'changes' },
    changes.map((c) =>
      h('li', { 'data-change': c.label },
        h('span', { class: 'change-label' }, `${c.label}: `),
        h('span', { class: 'change-before' }, c.before),
        h('span', { class: 'change-arrow' }, ' → '),
        h('span', { class: 'change-after' }, c.after),
      ),
    ),
  );
}
