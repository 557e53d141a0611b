/**
 * PromQL durations as upstream's `model.ParseDuration` and `model.Duration.String` handle them. They differ from
 * src/model's config durations in two observable ways: the exact error texts (which PromQL reports as parse
 * errors) and printing, where years and weeks are only used when they divide the duration exactly (`90d`, not
 * `12w6d`).
 */

interface Unit {
  readonly pos: number;
  readonly ns: bigint;
}

const msNs = 1_000_000n;
const units: Readonly<Record<string, Unit>> = {
  y: { pos: 1, ns: 365n * 24n * 3600n * 1000n * msNs },
  w: { pos: 2, ns: 7n * 24n * 3600n * 1000n * msNs },
  d: { pos: 3, ns: 24n * 3600n * 1000n * msNs },
  h: { pos: 4, ns: 3600n * 1000n * msNs },
  m: { pos: 5, ns: 60n * 1000n * msNs },
  s: { pos: 6, ns: 1000n * msNs },
  ms: { pos: 7, ns: msNs },
};
const maxNs = (1n << 63n) - 1n;

/** The outcome of parsing a duration: nanoseconds, or upstream's error text. */
export type DurationParse = { readonly ns: bigint; readonly error?: undefined } | { readonly error: string };

/**
 * Parses a PromQL duration (`1h30m`, `500ms`, `2w`, `0`) into nanoseconds. Units go from largest to smallest,
 * each at most once. Errors carry upstream's wording: `not a valid duration string: "5m1h"`, `unknown unit "hs" in
 * duration "5y1hs"`, `duration out of range`, `empty duration string`.
 */
export function parseDuration(text: string): DurationParse {
  if (text === '0') return { ns: 0n };
  if (text === '') return { error: 'empty duration string' };
  const invalid = { error: `not a valid duration string: "${text}"` };
  let rest = text;
  let total = 0n;
  let lastPos = 0;
  while (rest !== '') {
    const num = /^[0-9]+/.exec(rest);
    if (num === null) return invalid;
    rest = rest.slice(num[0].length);
    const unitText = /^[^0-9]+/.exec(rest);
    if (unitText === null) return invalid;
    rest = rest.slice(unitText[0].length);
    const unit = Object.hasOwn(units, unitText[0]) ? units[unitText[0]] : undefined;
    if (unit === undefined) return { error: `unknown unit "${unitText[0]}" in duration "${text}"` };
    if (unit.pos <= lastPos) return invalid;
    lastPos = unit.pos;
    const v = BigInt(num[0]);
    if (v > (1n << 63n) / unit.ns) return { error: 'duration out of range' };
    total += v * unit.ns;
    if (total > maxNs) return { error: 'duration out of range' };
  }
  return { ns: total };
}

/** Seconds of a nanosecond duration, computed as Go's `time.Duration.Seconds` does. */
export function nsToSeconds(ns: bigint): number {
  const sec = ns / 1_000_000_000n;
  const rem = ns % 1_000_000_000n;
  return Number(sec) + Number(rem) / 1e9;
}

/**
 * Milliseconds of a duration given in seconds, as upstream converts literals: `time.Duration(math.Round(s * 1e9))`.
 * Whole milliseconds in the common case; fractional only for sub-millisecond literals.
 */
export function secondsToMs(seconds: number): number {
  const ms = seconds * 1000;
  if (Number.isInteger(ms)) return ms;
  const ns = seconds * 1e9;
  const t = Math.trunc(ns);
  return (Math.abs(ns - t) >= 0.5 ? t + Math.sign(ns) : t) / 1e6;
}

const msUnits: ReadonlyArray<readonly [string, number, boolean]> = [
  ['y', 365 * 24 * 3600 * 1000, true],
  ['w', 7 * 24 * 3600 * 1000, true],
  ['d', 24 * 3600 * 1000, false],
  ['h', 3600 * 1000, false],
  ['m', 60 * 1000, false],
  ['s', 1000, false],
  ['ms', 1, false],
];

/**
 * Formats a non-negative duration in milliseconds as upstream's `model.Duration.String`: `0s`, `1h30m`, `90d`,
 * `1y`; sub-millisecond parts are dropped. Callers print the sign of negative durations themselves.
 */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest <= 0) return '0s';
  let out = '';
  for (const [unit, size, exact] of msUnits) {
    if (exact && rest % size !== 0) continue;
    const v = Math.floor(rest / size);
    if (v > 0) {
      out += `${v}${unit}`;
      rest -= v * size;
    }
  }
  return out;
}
