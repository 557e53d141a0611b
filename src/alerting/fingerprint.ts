/**
 * Alertmanager's alert fingerprint: Prometheus' `LabelSet.Fingerprint`, FNV-1a 64 over the label names in
 * byte order, each name and value followed by the byte 0xff, printed as 16 lowercase hex digits. The hash runs
 * on four 16-bit limbs so that no BigInt is needed per byte.
 */

const encoder = new TextEncoder();

/** The 64-bit FNV-1a offset basis 0xcbf29ce484222325, as 16-bit limbs from low to high. */
const basis = [0x2325, 0x8422, 0x9ce4, 0xcbf2] as const;

/** h = (h ^ byte) * 0x100000001b3 mod 2^64, in place, on limbs low to high. */
function mix(h: Uint32Array, byte: number): void {
  h[0] = (h[0] as number) ^ byte;
  const a0 = h[0] as number;
  const a1 = h[1] as number;
  const a2 = h[2] as number;
  const a3 = h[3] as number;
  // prime = 2^40 + 0x1b3: h * 0x1b3, plus h shifted left by 40 bits (2.5 limbs).
  let c = a0 * 0x1b3;
  const r0 = c & 0xffff;
  c = a1 * 0x1b3 + (c >>> 16);
  const r1 = c & 0xffff;
  c = a2 * 0x1b3 + (c >>> 16) + ((a0 << 8) & 0xffff);
  const r2 = c & 0xffff;
  c = a3 * 0x1b3 + (c >>> 16) + (((a1 << 8) | (a0 >>> 8)) & 0xffff);
  h[0] = r0;
  h[1] = r1;
  h[2] = r2;
  h[3] = c & 0xffff;
}

function hex(h: Uint32Array): string {
  let s = '';
  for (let i = 3; i >= 0; i--) s += (h[i] as number).toString(16).padStart(4, '0');
  return s;
}

/** The fingerprint of a label set (names need not be sorted). An empty set hashes to the offset basis. */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  const h = Uint32Array.from(basis);
  const names = Object.keys(labels).sort(byteOrder);
  for (const name of names) {
    mixString(h, name);
    mix(h, 0xff);
    mixString(h, labels[name] as string);
    mix(h, 0xff);
  }
  return hex(h);
}

/** Mixes the UTF-8 bytes of `s`: ASCII directly, anything else through the encoder. */
function mixString(h: Uint32Array, s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      for (const b of encoder.encode(s.slice(i))) mix(h, b);
      return;
    }
    mix(h, c);
  }
}

/** Go's string order: by UTF-8 bytes, which for label names (ASCII) is code-unit order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
