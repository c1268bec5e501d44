/// <reference lib="dom" />
/**
 * Supervisors' notices (thông báo cho lãnh đạo): the review items the escalation job flagged as overdue, newest
 * first (GET /v1/review-notices) — the reason, the item's age when it was escalated, when, and a link to the item.
 * In AWS the same notices also go to the province's SNS topic (e-mail); locally this list and the log are them.
 */
import { h, clear } from './dom';
import { get } from './api';
import { formatInstant, pick, t } from './i18n';
import { errorMessage } from './state';
import type { listNotices } from '../../functions/reviewQueue/notices';

type Notices = Awaited<ReturnType<typeof listNotices>>;

export function noticesPanel(): HTMLElement {
  const list = h('div', { 'data-testid': 'notices-list' }, h('p', { class: 'muted' }, t('loading')));
  void (async () => {
    try {
      const out = await get<Notices>('/v1/review-notices');
      clear(list);
      if (!out.notices.length) {
        list.append(h('p', { class: 'muted', 'data-testid': 'notices-empty' }, t('noticesNone')));
        return;
      }
      list.append(h('ul', { class: 'notices' }, out.notices.map((n) =>
        h('li', { 'data-item-id': n.itemId, 'data-testid': 'notice' },
          h('strong', {}, pick(n.reason.message)), ' — ',
          h('a', { href: `#/items/${encodeURIComponent(n.itemId)}`, class: 'mono' }, n.itemId), ' — ',
          t('noticeAge', { h: n.ageHours }), ' — ',
          h('time', { datetime: n.at }, formatInstant(n.at)),
        ))));
    } catch (error) {
      clear(list);
      list.append(h('p', { class: 'muted' }, pick(errorMessage(error))));
    }
  })();
  return h('section', { class: 'panel notices-panel', 'aria-labelledby': 'notices-title', 'data-testid': 'notices-panel' },
    h('h2', { id: 'notices-title' }, t('noticesTitle')),
    h('p', { class: 'muted small' }, t('noticesHint')),
    list,
  );
}
