/**
 * ULIDs, the names of block directories: 48 bits of Unix milliseconds then 80 random bits, written as 26
 * characters of Crockford base32 (10 for the time, 16 for the randomness), so names sort by creation time.
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_RE = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const MAX_TIME_MS = 2 ** 48 - 1;

/** Whether `s` is a canonical (upper-case) ULID. */
export function isUlid(s: string): boolean {
  return ULID_RE.test(s);
}

/** The Unix milliseconds of a canonical ULID. */
export function ulidTime(ulid: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(ulid[i] as string);
  return t;
}

/** The ULID for `timeMs` (an integer in [0, 2^48)) and 10 bytes of randomness. */
export function formatUlid(timeMs: number, random: Uint8Array): string {
  if (!Number.isInteger(timeMs) || timeMs < 0 || timeMs > MAX_TIME_MS) throw new RangeError(`ULID time ${timeMs}`);
  if (random.length !== 10) throw new RangeError(`ULID randomness must be 10 bytes, got ${random.length}`);
  let out = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    out = (ALPHABET[t % 32] as string) + out;
    t = Math.floor(t / 32);
  }
  // 80 bits as 16 groups of 5, most significant first.
  let acc = 0;
  let bits = 0;
  for (const byte of random) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/**
 * Makes ULIDs that increase strictly, even within one millisecond (the randomness of the previous one plus 1),
 * as Prometheus' monotonic entropy does. Clock and randomness are injectable for tests.
 */
export class UlidGenerator {
  private lastMs = -1;
  private readonly last = new Uint8Array(10);

  constructor(
    private readonly nowMs: () => number = Date.now,
    private readonly fillRandom: (b: Uint8Array) => void = (b) => {
      randomFillSync(b);
    },
  ) {}

  next(): string {
    const now = this.nowMs();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.fillRandom(this.last);
    } else if (!increment(this.last)) {
      // 2^80 ULIDs in one millisecond: borrow the next one.
      this.lastMs++;
      this.fillRandom(this.last);
    }
    return formatUlid(this.lastMs, this.last);
  }
}

function increment(b: Uint8Array): boolean {
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] !== 0xff) {
      b[i] = (b[i] as number) + 1;
      return true;
    }
    b[i] = 0;
  }
  return false;
}
