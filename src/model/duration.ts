/**
 * Durations in Prometheus' notation (`1h30m`, `15s`, `500ms`, `2w`), as prometheus.yml, alertmanager.yml and
 * PromQL write them. Units, largest first, each at most once: y (365d), w, d, h, m, s, ms. `0` alone is allowed.
 */

const units: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

const pattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parses a duration into milliseconds. Returns `undefined` when `text` is not a duration (empty, unknown unit,
 * units out of order or repeated) or when the value exceeds `Number.MAX_SAFE_INTEGER` milliseconds.
 */
export function parseDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const m = pattern.exec(text);
  if (m === null) return undefined;
  let total = 0;
  for (let i = 0; i < units.length; i++) {
    const part = m[i + 1];
    if (part === undefined) continue;
    total += Number(part) * (units[i] as readonly [string, number])[1];
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Formats milliseconds the way Prometheus prints durations: `0s`, `1m30s`, `1d`, `250ms`. Negative values get a `-`. */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(Math.trunc(ms));
  let out = ms < 0 ? '-' : '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
