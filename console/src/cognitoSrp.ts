/**
 * Amazon Cognito sign-in with USER_SRP_AUTH (the console client allows only SRP: the password never leaves the
 * browser), written against the public Cognito Identity Provider JSON API with BigInt and WebCrypto: no SDK.
 *
 *   InitiateAuth(USER_SRP_AUTH, SRP_A) → PASSWORD_VERIFIER { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP }
 *   RespondToAuthChallenge(PASSWORD_CLAIM_SIGNATURE, TIMESTAMP) → tokens | NEW_PASSWORD_REQUIRED | SOFTWARE_TOKEN_MFA
 *
 * The SRP-6a math (RFC 5054 3072-bit group, SHA-256, Cognito's HKDF "Caldera Derived Key") is exported so the
 * tests can check it against a server-side computation.
 */

// RFC 5054 3072-bit group, g = 2 (the group Cognito uses).
export const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** Cognito's padHex: even length, and a leading 00 when the high bit is set (positive two's complement). */
export function padHex(value: bigint | string): string {
  let hex = typeof value === 'string' ? value : value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if ('89ABCDEFabcdef'.includes(hex[0])) hex = `00${hex}`;
  return hex;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
}

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data as BufferSource));
}

/** H(pad(x) || pad(y)) as a hex string of 64 characters. */
async function hashHex(hex: string): Promise<string> {
  return bytesToHex(await sha256(hexToBytes(hex))).padStart(64, '0');
}

export async function multiplierK(): Promise<bigint> {
  return BigInt(`0x${await hashHex(padHex(N) + padHex(g))}`);
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  bytes.forEach((b) => (bin += String.fromCharCode(b)));
  return btoa(bin);
}

/** x = H(salt || H(poolName + userId + ":" + password)) */
export async function privateX(poolName: string, userId: string, password: string, saltHex: string): Promise<bigint> {
  const inner = bytesToHex(await sha256(utf8(`${poolName}${userId}:${password}`))).padStart(64, '0');
  return BigInt(`0x${await hashHex(padHex(saltHex) + inner)}`);
}

/** Cognito's 16-byte key: HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key"). */
export async function hkdfKey(S: bigint, u: bigint): Promise<Uint8Array> {
  const prk = await hmac(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
  const okm = await hmac(prk, concat(utf8('Caldera Derived Key'), new Uint8Array([1])));
  return okm.slice(0, 16);
}

export interface ClientSession {
  a: bigint;
  A: bigint;
}

export function newClientSession(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): ClientSession {
  for (;;) {
    const a = BigInt(`0x${bytesToHex(randomBytes(128))}`) % N;
    const A = modPow(g, a, N);
    if (A % N !== 0n && a !== 0n) return { a, A };
  }
}

/** The client's password authentication key for the server's B and salt. */
export async function passwordKey(session: ClientSession, poolName: string, userId: string, password: string, BHex: string, saltHex: string): Promise<Uint8Array> {
  const B = BigInt(`0x${BHex}`);
  if (B % N === 0n) throw new Error('Invalid server value B');
  const u = BigInt(`0x${await hashHex(padHex(session.A) + padHex(B))}`);
  if (u === 0n) throw new Error('Invalid scrambling parameter u');
  const x = await privateX(poolName, userId, password, saltHex);
  const k = await multiplierK();
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, session.a + u * x, N);
  return hkdfKey(S, u);
}

/** "Tue Jun 3 08:04:05 UTC 2026" (day of month not zero-padded), the format Cognito signs. */
export function cognitoTimestamp(d: Date = new Date()): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export async function claimSignature(key: Uint8Array, poolName: string, userId: string, secretBlockB64: string, timestamp: string): Promise<string> {
  const message = concat(utf8(poolName), utf8(userId), base64ToBytes(secretBlockB64), utf8(timestamp));
  return bytesToBase64(await hmac(key, message));
}

// ---------------------------------------------------------------------------------------------------------
// The Cognito JSON API

export interface CognitoConfig {
  region: string;
  userPoolId: string;
  clientId: string;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export type SignInStep =
  | { kind: 'done'; tokens: Tokens }
  | { kind: 'newPassword'; respond: (newPassword: string) => Promise<SignInStep> }
  | { kind: 'mfa'; respond: (code: string) => Promise<SignInStep> };

export class CognitoError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = 'CognitoError';
  }
}

async function call(cfg: CognitoConfig, target: string, body: unknown): Promise<Record<string, any>> {
  const res = await fetch(`https://cognito-idp.${cfg.region}.amazonaws.com/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, any>;
  if (!res.ok) throw new CognitoError(String(json.__type ?? `HTTP_${res.status}`).split('#').pop()!, String(json.message ?? res.statusText));
  return json;
}

function step(cfg: CognitoConfig, out: Record<string, any>, username: string): SignInStep {
  const result = out.AuthenticationResult;
  if (result?.IdToken) {
    return {
      kind: 'done',
      tokens: { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken, expiresIn: result.ExpiresIn },
    };
  }
  const session = out.Session as string;
  const user = (out.ChallengeParameters?.USER_ID_FOR_SRP as string | undefined) ?? username;
  if (out.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    return {
      kind: 'newPassword',
      respond: async (newPassword) =>
        step(cfg, await call(cfg, 'RespondToAuthChallenge', {
          ClientId: cfg.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: user, NEW_PASSWORD: newPassword },
        }), username),
    };
  }
  if (out.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
    return {
      kind: 'mfa',
      respond: async (code) =>
        step(cfg, await call(cfg, 'RespondToAuthChallenge', {
          ClientId: cfg.clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: session,
          ChallengeResponses: { USERNAME: user, SOFTWARE_TOKEN_MFA_CODE: code },
        }), username),
    };
  }
  throw new CognitoError('UnsupportedChallenge', `Unsupported challenge ${String(out.ChallengeName)}`);
}

export async function signInWithSrp(cfg: CognitoConfig, username: string, password: string): Promise<SignInStep> {
  const session = newClientSession();
  const poolName = cfg.userPoolId.split('_')[1];
  const init = await call(cfg, 'InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: cfg.clientId,
    AuthParameters: { USERNAME: username, SRP_A: session.A.toString(16) },
  });
  if (init.ChallengeName !== 'PASSWORD_VERIFIER') return step(cfg, init, username);
  const p = init.ChallengeParameters as Record<string, string>;
  const key = await passwordKey(session, poolName, p.USER_ID_FOR_SRP, password, p.SRP_B, p.SALT);
  const timestamp = cognitoTimestamp();
  const signature = await claimSignature(key, poolName, p.USER_ID_FOR_SRP, p.SECRET_BLOCK, timestamp);
  const out = await call(cfg, 'RespondToAuthChallenge', {
    ClientId: cfg.clientId,
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: init.Session,
    ChallengeResponses: {
      USERNAME: p.USER_ID_FOR_SRP,
      PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: signature,
      TIMESTAMP: timestamp,
    },
  });
  return step(cfg, out, p.USER_ID_FOR_SRP);
}
