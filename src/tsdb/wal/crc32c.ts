/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8. Node 20 has no built-in for it. */

const POLY = 0x82f63b78;
const table = new Int32Array(8 * 256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  table[i] = c;
}
for (let i = 0; i < 256; i++) {
  for (let t = 1; t < 8; t++) {
    const prev = table[(t - 1) * 256 + i] as number;
    table[t * 256 + i] = (prev >>> 8) ^ (table[prev & 0xff] as number);
  }
}

/** The CRC-32C of `buf[start, end)`, as an unsigned 32-bit number (what Go's `crc32.Checksum` returns). */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const t = table;
  let crc = -1;
  let i = start;
  for (; end - i >= 8; i += 8) {
    crc ^=
      (buf[i] as number) |
      ((buf[i + 1] as number) << 8) |
      ((buf[i + 2] as number) << 16) |
      ((buf[i + 3] as number) << 24);
    crc =
      (t[1792 + (crc & 0xff)] as number) ^
      (t[1536 + ((crc >>> 8) & 0xff)] as number) ^
      (t[1280 + ((crc >>> 16) & 0xff)] as number) ^
      (t[1024 + (crc >>> 24)] as number) ^
      (t[768 + (buf[i + 4] as number)] as number) ^
      (t[512 + (buf[i + 5] as number)] as number) ^
      (t[256 + (buf[i + 6] as number)] as number) ^
      (t[buf[i + 7] as number] as number);
  }
  for (; i < end; i++) crc = (t[(crc ^ (buf[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}
