/**
 * A small DER writer (ITU-T X.690), enough for an X.509 certificate: each function returns one complete
 * TLV (tag, definite length, value) as a Buffer.
 */

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  let head: Buffer;
  if (n < 0x80) head = Buffer.from([tag, n]);
  else if (n < 0x100) head = Buffer.from([tag, 0x81, n]);
  else if (n < 0x10000) head = Buffer.from([tag, 0x82, n >> 8, n & 0xff]);
  else head = Buffer.from([tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([head, value]);
}

export function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

export function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

/** A non-negative INTEGER from big-endian bytes (a leading zero is added when the high bit is set). */
export function integer(bytes: Buffer | number): Buffer {
  let b = typeof bytes === 'number' ? Buffer.from([bytes]) : bytes;
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && ((b[i + 1] as number) & 0x80) === 0) i++;
  b = b.subarray(i);
  if (((b[0] as number) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function boolean(v: boolean): Buffer {
  return tlv(0x01, Buffer.from([v ? 0xff : 0]));
}

/** An OBJECT IDENTIFIER from its dotted form, e.g. `2.5.4.3`. */
export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [(parts[0] as number) * 40 + (parts[1] as number)];
  for (const p of parts.slice(2)) {
    const base128: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

export function utf8String(s: string): Buffer {
  return tlv(0x0c, Buffer.from(s, 'utf8'));
}

export function octetString(b: Buffer): Buffer {
  return tlv(0x04, b);
}

/** A BIT STRING of whole bytes (no unused bits). */
export function bitString(b: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), b]));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5). */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

/** A context-specific tag: constructed `[n] EXPLICIT`, or primitive `[n] IMPLICIT` over raw bytes. */
export function context(n: number, value: Buffer, constructed: boolean): Buffer {
  return tlv((constructed ? 0xa0 : 0x80) | n, value);
}
