/** Random bearer secrets (API tokens, session ids, CSRF tokens) and their stored form. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of API tokens, so they are recognisable in a secret scanner. */
export const apiTokenPrefix = 'vigil_';

/** A new API token: the prefix and 32 random bytes in base64url. */
export function newApiToken(): string {
  return apiTokenPrefix + randomBytes(32).toString('base64url');
}

/** A random 32-byte value in base64url, for session ids and CSRF tokens. */
export function newRandomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a high-entropy secret: its SHA-256. Looking a token up by this hash is safe against
 * timing attacks because an attacker cannot choose the hash of a guess.
 */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}
