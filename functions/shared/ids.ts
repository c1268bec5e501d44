/**
 * Identifiers. Crockford base32 (no I, L, O, U: readable over the phone, case-insensitive), derived from a hash
 * where an id must be the same on every retry (a task token), random otherwise (application ids are always random:
 * an Idempotency-Key maps to its application through an idempotency record, applications/submitApplication.ts).
 */
import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const CROCKFORD_ID_CHARS = '[0-9A-HJKMNP-TV-Z]';

export function crockfordBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/** `<prefix>-` + the first `length` characters of base32(sha256(text)): the same text always gives the same id. */
export function hashedId(prefix: string, text: string, length = 26): string {
  return `${prefix}-${crockfordBase32(createHash('sha256').update(text, 'utf8').digest()).slice(0, length)}`;
}

/** `<prefix>-` + `length` random base32 characters. */
export function randomId(prefix: string, length = 26): string {
  return `${prefix}-${crockfordBase32(randomBytes(Math.ceil((length * 5) / 8))).slice(0, length)}`;
}

/** A payment request id: 'PR-' + 26 crypto-random Crockford base32 characters (130 bits: unguessable). */
export function paymentRequestId(): string {
  return randomId('PR', 26);
}

export const PAYMENT_REQUEST_ID_PATTERN = new RegExp(`^PR-${CROCKFORD_ID_CHARS}{26}$`);
