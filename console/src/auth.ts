/// <reference lib="dom" />
/**
 * Sessions. Locally (config auth "dev") an officer picks a development identity: the bearer token is
 * `dev-staff-<code>` or `dev-supervisor-<code>` (local/devIdentities.ts; the local API server plays the Cognito
 * authorizer). In AWS (auth "cognito") the officer signs in to the stack's Cognito user pool with SRP and the
 * console sends the ID token. The token lives in sessionStorage (one tab, gone with it).
 */
import type { CognitoConfig } from './cognitoSrp';

export interface ConsoleConfig {
  auth: 'dev' | 'cognito';
  /** Base URL of the staff API ('' = same origin, as locally). */
  apiBase: string;
  cognito?: CognitoConfig;
}

export interface Session {
  token: string;
  /** epoch ms; null = unknown (dev tokens). */
  expiresAt: number | null;
}

const KEY = 'bhxh-console-session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== 'string' || !s.token) return null;
    if (s.expiresAt !== null && Date.now() >= s.expiresAt) return null;
    return s;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export function devToken(role: 'staff' | 'supervisor', provinceCode: string): string {
  return `dev-${role}-${provinceCode}`;
}

/** Expiry of a JWT (exp claim), in epoch ms; null when unreadable. */
export function jwtExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const res = await fetch('config.json', { cache: 'no-store' });
    if (res.ok) {
      const c = (await res.json()) as Partial<ConsoleConfig>;
      return { auth: c.auth === 'cognito' ? 'cognito' : 'dev', apiBase: (c.apiBase ?? '').replace(/\/$/, ''), cognito: c.cognito };
    }
  } catch {
    /* fall through */
  }
  return { auth: 'dev', apiBase: '' };
}
