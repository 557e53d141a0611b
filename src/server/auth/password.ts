/**
 * Password hashing with scrypt (RFC 7914) and a random 16-byte salt per password. Encoded as
 * `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>` so parameters can be raised later without breaking
 * stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const defaults = { log2n: 15, r: 8, p: 1, keyLength: 32 };

function derive(
  password: string,
  salt: Buffer,
  log2n: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  const N = 2 ** log2n;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password for storage. Takes about 50–100 ms of one core, off the event loop. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { log2n, r, p, keyLength } = defaults;
  const key = await derive(password, salt, log2n, r, p, keyLength);
  return `scrypt$${log2n}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches an encoded hash; comparison in constant time. False for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2n, r, p].every((n) => Number.isInteger(n) && n > 0) || log2n > 22) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (expected.length < 16) return false;
  const key = await derive(password, salt, log2n, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

/** A random password of 24 URL-safe characters (144 bits), for the first admin when none is given. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
