/// <reference lib="dom" />
/**
 * The queue's search box: an officer phoned by a citizen finds the item by application id, review item id, full
 * personal ID or name (GET /v1/review-items?q=…; the caller's province only, names diacritics-insensitive). Results
 * show the citizen's name and masked ID, the reason, the status and the deadline, each linking to the item. A
 * query the API refuses (too short, too long, a partial ID) shows its message; the queue below stays as it was.
 */
import { h, clear } from './dom';
import { get, enc } from './api';
import { SERVICE_LABELS, STATUS_LABELS, formatInstant, labelOf, pick, t } from './i18n';
import { errorMessage, flash } from './state';
import type { ReviewItemStaffView } from '../../functions/reviewQueue/reviewItemsRepository';
import type { SearchResult } from '../../functions/reviewQueue/reviewSearch';

type Found = ReviewItemStaffView;

function resultsTable(items: Found[]): HTMLElement {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'queue search-results', 'data-testid': 'search-table' },
      h('caption', { class: 'visually-hidden' }, t('searchTitle')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('citizen')),
        h('th', { scope: 'col' }, t('reason')),
        h('th', { scope: 'col', class: 'col-service' }, t('service')),
        h('th', { scope: 'col', class: 'col-deadline' }, t('deadline')),
        h('th', { scope: 'col', class: 'col-status' }, t('status')),
      )),
      h('tbody', {}, items.map((item) =>
        h('tr', { 'data-item-id': item.itemId, 'data-status': item.status },
          h('td', { class: 'col-subject' },
            h('div', { 'data-testid': 'subject-name' }, item.submitted.fullName),
            h('div', { class: 'muted small mono', 'data-testid': 'subject-id' }, item.submitted.personalId),
          ),
          h('td', { class: 'reason' },
            h('a', { href: `#/items/${encodeURIComponent(item.itemId)}`, class: 'item-link', id: `search-link-${item.itemId}` }, pick(item.reason.message)),
            h('div', { class: 'muted small mono' }, `${item.itemId} · ${item.applicationId}`),
          ),
          h('td', { class: 'col-service' }, labelOf(SERVICE_LABELS, item.service)),
          h('td', { class: 'col-deadline' }, h('time', { datetime: item.dueAt }, formatInstant(item.dueAt))),
          h('td', { class: 'col-status' }, h('span', { class: `status status-${item.status.toLowerCase()}` }, labelOf(STATUS_LABELS, item.status))),
        ),
      )),
    ),
  );
}

/** The search panel (form + results), for the top of the queue view. */
export function searchPanel(): HTMLElement {
  const input = h('input', {
    type: 'search', id: 'queue-search', name: 'q', autocomplete: 'off', maxlength: 100, 'aria-describedby': 'queue-search-hint',
  });
  const status = h('p', { class: 'summary', role: 'status', 'aria-live': 'polite', 'data-testid': 'search-summary' });
  const results = h('div', { 'data-testid': 'search-results' });
  const clearButton = h('button', { type: 'button', class: 'secondary', id: 'queue-search-clear', hidden: true, onclick: () => reset() }, t('searchClear'));
  let seq = 0;

  function reset(): void {
    seq++;
    input.value = '';
    status.textContent = '';
    clear(results);
    clearButton.hidden = true;
    input.focus();
  }

  async function run(q: string): Promise<void> {
    const mine = ++seq;
    // A personal ID is echoed masked, as everywhere else on screen.
    const digits = q.replace(/[\s.-]/g, '');
    const shown = /^\d{12}$/.test(digits) ? `${digits.slice(0, 3)}******${digits.slice(-3)}` : q;
    status.textContent = t('searching');
    clear(results);
    try {
      const out = await get<SearchResult>(`/v1/review-items?q=${enc(q)}&limit=50`);
      if (mine !== seq) return; // a newer search has started
      status.textContent = out.items.length === 0 ? t('searchNone', { q: shown }) : t('searchFound', { n: out.items.length, q: shown });
      if (out.items.length) results.append(resultsTable(out.items));
      if (out.truncated) results.append(h('p', { class: 'muted small', 'data-testid': 'search-truncated' }, t('searchTruncated')));
      clearButton.hidden = false;
    } catch (error) {
      if (mine !== seq) return;
      status.textContent = '';
      flash('error', errorMessage(error));
      input.focus();
    }
  }

  const form = h('form', { class: 'inline-form search-form', role: 'search', 'aria-label': t('searchTitle') },
    h('div', { class: 'field grow' }, h('label', { for: 'queue-search' }, t('searchLabel')), input),
    h('button', { type: 'submit', id: 'queue-search-button' }, t('searchButton')),
    clearButton,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run(input.value.trim());
  });
  return h('section', { class: 'panel search', 'aria-labelledby': 'search-title', 'data-testid': 'search-panel' },
    h('h2', { id: 'search-title' }, t('searchTitle')),
    form,
    h('p', { id: 'queue-search-hint', class: 'muted small' }, t('searchHint')),
    status,
    results,
  );
}
