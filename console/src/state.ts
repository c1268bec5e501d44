/// <reference lib="dom" />
/** Shared state of the page: who is signed in, the server clock, and the message area. */
import { byId, clear, h } from './dom';
import { ApiError } from './api';
import { pick, t, type Bilingual } from './i18n';

export interface Me {
  staffId: string;
  name: string;
  provinceCode: string;
  provinceName: string;
  roles: string[];
  supervisor: boolean;
  /** Working hours to an item's target and to its deadline (GET /v1/staff/me). */
  escalateAfterHours?: number | null;
  reviewDeadlineHours?: number | null;
}

export const state: { me: Me | null; skewMs: number } = { me: null, skewMs: 0 };

/** Server time now (the server's clock may be shifted, e.g. `npm start -- --now …`). */
export function serverNow(): number {
  return Date.now() + state.skewMs;
}

export function syncClock(serverIso: string | undefined): void {
  if (!serverIso) return;
  const at = Date.parse(serverIso);
  if (!Number.isNaN(at)) state.skewMs = at - Date.now();
}

export type FlashKind = 'info' | 'success' | 'error' | 'conflict';

/** Shows a message in the live region (announced by screen readers). */
export function flash(kind: FlashKind, message: string | Bilingual, extra?: string): void {
  const area = byId('flash');
  clear(area);
  const text = typeof message === 'string' ? message : pick(message);
  area.className = `flash flash-${kind}`;
  area.setAttribute('role', kind === 'error' || kind === 'conflict' ? 'alert' : 'status');
  area.dataset.kind = kind;
  area.appendChild(h('p', {}, text, extra ? h('span', { class: 'flash-extra' }, ` ${extra}`) : null));
  area.hidden = false;
}

export function clearFlash(): void {
  const area = byId('flash');
  clear(area);
  area.hidden = true;
}

export function errorMessage(error: unknown): Bilingual {
  if (error instanceof ApiError) return error.text;
  return { vi: t('networkError'), en: t('networkError') };
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}
