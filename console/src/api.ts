/// <reference lib="dom" />
/**
 * The console talks only to the staff API. Every call carries the session's bearer token (a Cognito ID token,
 * or a dev token locally). Errors come back as `{ code, message: { vi, en } }` and are thrown as ApiError.
 */
import type { Bilingual } from './i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Bilingual,
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${text.en}`);
    this.name = 'ApiError';
  }
}

export interface ApiConfig {
  apiBase: string;
  token: () => string | null;
  onUnauthorized: () => void;
}

let cfg: ApiConfig = { apiBase: '', token: () => null, onUnauthorized: () => undefined };

export function configureApi(next: ApiConfig): void {
  cfg = next;
}

const NETWORK: Bilingual = { vi: 'Không kết nối được máy chủ, vui lòng thử lại.', en: 'Cannot reach the server, please retry.' };

async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = cfg.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(cfg.apiBase + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK);
  }
}

async function fail(res: Response): Promise<never> {
  let parsed: { code?: string; message?: Bilingual; details?: unknown } = {};
  try {
    parsed = (await res.json()) as typeof parsed;
  } catch {
    /* not JSON */
  }
  if (res.status === 401) cfg.onUnauthorized();
  throw new ApiError(
    res.status,
    parsed.code ?? `HTTP_${res.status}`,
    parsed.message && typeof parsed.message.vi === 'string' ? parsed.message : { vi: `Lỗi ${res.status}`, en: `Error ${res.status}` },
    parsed.details,
  );
}

export async function apiJson<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await send(method, path, body);
  if (!res.ok) return fail(res);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export const get = async <T>(path: string): Promise<T> => (await apiJson<T>('GET', path)).body;
export const post = async <T>(path: string, body: unknown = {}): Promise<{ status: number; body: T }> => apiJson<T>('POST', path, body);

export async function getText(path: string): Promise<{ text: string; filename: string | null; headers: Headers }> {
  const res = await send('GET', path);
  if (!res.ok) return fail(res);
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { text: await res.text(), filename, headers: res.headers };
}

export const enc = encodeURIComponent;
