/// <reference lib="dom" />
/**
 * Staff review console: a small vanilla-TS single page (bundled by esbuild, console/build.ts) that talks only to
 * the staff API. Routes: #/queue, #/items/<itemId>. Sign-in: dev identities locally, Cognito (SRP) in AWS.
 */
import { byId, clear, h } from './dom';
import { configureApi, get, ApiError } from './api';
import { clearSession, devToken, jwtExpiry, loadConfig, loadSession, saveSession, type ConsoleConfig } from './auth';
import { signInWithSrp, type SignInStep } from './cognitoSrp';
import { lang, setLang, t, pick } from './i18n';
import { clearFlash, errorMessage, flash, state, type Me } from './state';
import { renderQueue } from './queueView';
import { forgetRevealed, renderItem } from './itemView';
import provincesFile from '../../config/provinces.json';

const provinces = (provincesFile as { provinces: { code: string; name: string }[] }).provinces;

let config: ConsoleConfig = { auth: 'dev', apiBase: '' };

function main(): HTMLElement {
  return byId('main');
}

function renderHeader(): void {
  const header = byId('app-header');
  clear(header);
  const me = state.me;
  header.append(
    h('div', { class: 'brand' },
      h('span', { class: 'agency' }, t('agency')),
      h('span', { class: 'app-title' }, t('appTitle')),
    ),
    h('nav', { class: 'header-actions', 'aria-label': 'menu' },
      me ? h('a', { href: '#/queue', class: 'nav-link' }, t('queue')) : null,
      me
        ? h('span', { class: 'whoami', 'data-testid': 'whoami' },
            `${me.name} (${me.staffId}) — ${me.provinceName} — ${me.supervisor ? t('roleSupervisor') : t('roleStaff')}`)
        : null,
      h('button', {
        type: 'button',
        class: 'secondary small',
        id: 'lang-toggle',
        lang: lang() === 'vi' ? 'en' : 'vi',
        'aria-label': t('langToggleLabel'),
        onclick: () => {
          setLang(lang() === 'vi' ? 'en' : 'vi');
          renderHeader();
          void route();
        },
      }, t('langToggle')),
      me ? h('button', { type: 'button', class: 'secondary small', id: 'sign-out', onclick: () => signOut() }, t('signOut')) : null,
    ),
  );
}

function signOut(message?: string): void {
  clearSession();
  forgetRevealed();
  state.me = null;
  renderHeader();
  location.hash = '';
  renderSignIn();
  if (message) flash('info', message);
}

function renderSignIn(): void {
  const root = main();
  clear(root);
  clearFlash();
  const heading = h('h1', { tabindex: -1, id: 'view-title' }, t('signInTitle'));
  if (config.auth === 'dev') {
    const provinceSelect = h('select', { id: 'signin-province', name: 'province' },
      provinces.map((p) => h('option', { value: p.code, selected: p.code === '79' }, `${p.code} — ${p.name}`)));
    const form = h('form', { class: 'panel signin', 'data-testid': 'signin-form' },
      h('p', { class: 'muted' }, t('devNotice')),
      h('div', { class: 'field' }, h('label', { for: 'signin-province' }, t('province')), provinceSelect),
      h('fieldset', { class: 'field' },
        h('legend', {}, t('role')),
        h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'role', value: 'staff', id: 'role-staff', checked: true }), ` ${t('roleStaff')}`),
        h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'role', value: 'supervisor', id: 'role-supervisor' }), ` ${t('roleSupervisor')}`),
      ),
      h('button', { type: 'submit', id: 'signin-button' }, t('signIn')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const role = (form.querySelector('input[name=role]:checked') as HTMLInputElement).value as 'staff' | 'supervisor';
      void completeSignIn(devToken(role, provinceSelect.value), null);
    });
    root.append(heading, form);
  } else {
    const username = h('input', { id: 'signin-username', name: 'username', autocomplete: 'username', required: true });
    const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const extra = h('div', {});
    let pending: SignInStep | null = null;
    const form = h('form', { class: 'panel signin', 'data-testid': 'signin-form' },
      h('div', { class: 'field' }, h('label', { for: 'signin-username' }, t('username')), username),
      h('div', { class: 'field' }, h('label', { for: 'signin-password' }, t('password')), password),
      extra,
      h('button', { type: 'submit', id: 'signin-button' }, t('signIn')),
    );
    const handle = async (next: SignInStep) => {
      if (next.kind === 'done') {
        await completeSignIn(next.tokens.idToken, jwtExpiry(next.tokens.idToken));
        return;
      }
      pending = next;
      clear(extra);
      const id = next.kind === 'mfa' ? 'signin-mfa' : 'signin-new-password';
      extra.append(h('div', { class: 'field' },
        h('label', { for: id }, next.kind === 'mfa' ? t('mfaCode') : t('newPassword')),
        h('input', next.kind === 'mfa'
          ? { id, inputmode: 'numeric', autocomplete: 'one-time-code', required: true }
          : { id, type: 'password', autocomplete: 'new-password', required: true })));
      (document.getElementById(id) as HTMLInputElement).focus();
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        try {
          if (pending && pending.kind !== 'done') {
            const id = pending.kind === 'mfa' ? 'signin-mfa' : 'signin-new-password';
            await handle(await pending.respond((document.getElementById(id) as HTMLInputElement).value));
          } else {
            await handle(await signInWithSrp(config.cognito!, username.value.trim(), password.value));
          }
        } catch (error) {
          pending = null;
          clear(extra);
          flash('error', t('signInFailed'), (error as Error).message);
        }
      })();
    });
    root.append(heading, form);
  }
  heading.focus();
}

async function completeSignIn(token: string, expiresAt: number | null): Promise<void> {
  saveSession({ token, expiresAt });
  try {
    state.me = await get<Me>('/v1/staff/me');
  } catch (error) {
    clearSession();
    flash('error', t('signInFailed'), pick(errorMessage(error)));
    return;
  }
  renderHeader();
  if (!location.hash.startsWith('#/')) location.hash = '#/queue';
  else void route();
}

async function route(): Promise<void> {
  if (!state.me) {
    renderSignIn();
    return;
  }
  const hash = location.hash;
  const itemMatch = /^#\/items\/([^/?]+)$/.exec(hash);
  if (itemMatch) {
    await renderItem(main(), decodeURIComponent(itemMatch[1]));
    return;
  }
  forgetRevealed();
  clearFlash();
  await renderQueue(main());
}

async function start(): Promise<void> {
  document.documentElement.lang = lang();
  config = await loadConfig();
  configureApi({
    apiBase: config.apiBase,
    token: () => loadSession()?.token ?? null,
    onUnauthorized: () => {
      if (state.me) signOut(t('sessionExpired'));
    },
  });
  window.addEventListener('hashchange', () => void route());
  document.querySelector('.skip-link')?.addEventListener('click', (e) => {
    e.preventDefault();
    main().focus();
  });
  renderHeader();
  const session = loadSession();
  if (session) {
    try {
      state.me = await get<Me>('/v1/staff/me');
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) flash('error', errorMessage(error));
      clearSession();
    }
  }
  renderHeader();
  if (state.me && !location.hash.startsWith('#/')) location.hash = '#/queue';
  else await route();
}

void start();
