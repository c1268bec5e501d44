/**
 * The console's Cognito SRP sign-in math (console/src/cognitoSrp.ts), checked against the server side of SRP-6a
 * computed here independently (verifier v = g^x, B = k·v + g^b, S = (A·v^u)^b): both ends must derive the same
 * key, and the password-claim signature must follow Cognito's message layout.
 */
import { describe, expect, it } from 'vitest';
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import {
  N,
  N_HEX,
  claimSignature,
  cognitoTimestamp,
  g,
  modPow,
  newClientSession,
  padHex,
  passwordKey,
} from '../../console/src/cognitoSrp';

const sha256Hex = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
const big = (hex: string) => BigInt(`0x${hex}`);

/** The server's view, written with node:crypto (not the module under test). */
function server(poolName: string, userId: string, password: string, A: bigint) {
  const salt = randomBytes(16).toString('hex');
  const inner = createHash('sha256').update(`${poolName}${userId}:${password}`, 'utf8').digest('hex');
  const x = big(sha256Hex(padHex(salt) + inner));
  const v = modPow(g, x, N);
  const k = big(sha256Hex(padHex(N) + padHex(g)));
  const b = big(randomBytes(64).toString('hex'));
  const B = (k * v + modPow(g, b, N)) % N;
  const u = big(sha256Hex(padHex(A) + padHex(B)));
  const S = modPow((A * modPow(v, u, N)) % N, b, N);
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), Buffer.from('Caldera Derived Key'), 16));
  return { salt, B: B.toString(16), key };
}

describe('Cognito SRP (console sign-in in AWS)', () => {
  it('uses the RFC 5054 3072-bit group', () => {
    expect(N_HEX).toHaveLength(768);
    expect(N.toString(2)).toHaveLength(3072);
  });

  it('pads hex like Cognito (even length, 00 before a high bit)', () => {
    expect(padHex(0xabn)).toBe('00ab');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0xfffn)).toBe('0fff');
  });

  it('derives the same key as the server for the right password, another one for a wrong password', async () => {
    const session = newClientSession();
    const srv = server('Ab12Cd34', 'staff.79.1', 'Mật-khẩu-Đúng-2026!', session.A);
    const key = await passwordKey(session, 'Ab12Cd34', 'staff.79.1', 'Mật-khẩu-Đúng-2026!', srv.B, srv.salt);
    expect(Buffer.from(key).toString('hex')).toBe(srv.key.toString('hex'));
    const wrong = await passwordKey(session, 'Ab12Cd34', 'staff.79.1', 'wrong password', srv.B, srv.salt);
    expect(Buffer.from(wrong).toString('hex')).not.toBe(srv.key.toString('hex'));
  });

  it('rejects a server B that is 0 mod N', async () => {
    await expect(passwordKey(newClientSession(), 'p', 'u', 'pw', N_HEX, '01')).rejects.toThrow(/Invalid server value B/);
  });

  it('signs poolName + userId + secret block + timestamp with HMAC-SHA256 of the key', async () => {
    const key = new Uint8Array(16).fill(7);
    const secretBlock = Buffer.from('secret-block-bytes').toString('base64');
    const ts = cognitoTimestamp(new Date('2026-07-03T08:04:05Z'));
    expect(ts).toBe('Fri Jul 3 08:04:05 UTC 2026');
    const expected = createHmac('sha256', Buffer.from(key))
      .update(Buffer.concat([Buffer.from('Ab12Cd34'), Buffer.from('staff.79.1'), Buffer.from('secret-block-bytes'), Buffer.from(ts)]))
      .digest('base64');
    expect(await claimSignature(key, 'Ab12Cd34', 'staff.79.1', secretBlock, ts)).toBe(expected);
  });
});
