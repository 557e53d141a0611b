/**
 * Parsers for the text of kernel files, by charCodeAt and indexOf: no regexes, no split arrays. Numbers are
 * JavaScript doubles, exact up to 2^53 (counters in ns reach that after 104 days of one core; limits such as
 * 2^63−4096 read as the nearest double, which is all a "> 2^62 means unlimited" test needs).
 */

/**
 * The decimal number at `pos` after blanks: optional `-`, digits; `max` reads as +Infinity. NaN when there is
 * none.
 */
export function decimalAt(text: string, pos: number): number {
  let i = pos;
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  if (c === 0x6d && text.startsWith('max', i)) return Number.POSITIVE_INFINITY;
  let sign = 1;
  if (c === 0x2d) {
    sign = -1;
    c = text.charCodeAt(++i);
  }
  const start = i;
  let v = 0;
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = text.charCodeAt(++i);
  }
  return i === start ? Number.NaN : sign * v;
}

/** Index of the line `key <value>` (key at a line start, then a blank) in flat-keyed text, or -1. */
function keyedLine(text: string, key: string): number {
  let from = 0;
  for (;;) {
    const i = text.indexOf(key, from);
    if (i < 0) return -1;
    const end = i + key.length;
    const after = text.charCodeAt(end);
    if ((i === 0 || text.charCodeAt(i - 1) === 10) && (after === 32 || after === 9)) return i;
    from = end;
  }
}

/**
 * The value of `key` in a flat-keyed file (`memory.stat`, `cpu.stat`, `cpuacct.stat`, `memory.events`,
 * `memory.oom_control`, `/proc/meminfo` with its `:` in the key), null when the key is absent or its value is not
 * a number.
 */
export function flatKeyed(text: string, key: string): number | null {
  const i = keyedLine(text, key);
  if (i < 0) return null;
  const v = decimalAt(text, i + key.length);
  return Number.isNaN(v) ? null : v;
}

/**
 * Parses one decimal per line (`cgroup.procs`, `tasks`, `cgroup.threads`) into `out` from index 0 and returns the
 * count; `out` is reused across calls (its old tail beyond the count is left as is).
 */
export function parseIdList(text: string, out: number[]): number {
  let n = 0;
  let v = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) v = (v < 0 ? 0 : v * 10) + (c - 48);
    else if (c === 10 && v >= 0) {
      out[n++] = v;
      v = -1;
    }
  }
  if (v >= 0) out[n++] = v;
  return n;
}

/**
 * Blank-separated decimals on the first line (`cpuacct.usage_percpu`); an empty array for an empty file, null when
 * a field is not a number.
 */
export function decimalFields(text: string): number[] | null {
  const out: number[] = [];
  let i = 0;
  const end = text.indexOf('\n') < 0 ? text.length : text.indexOf('\n');
  while (i < end) {
    let c = text.charCodeAt(i);
    while (i < end && (c === 32 || c === 9)) c = text.charCodeAt(++i);
    if (i >= end) break;
    const start = i;
    let v = 0;
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      c = text.charCodeAt(++i);
    }
    if (i === start || (i < end && c !== 32 && c !== 9)) return null;
    out.push(v);
  }
  return out;
}
