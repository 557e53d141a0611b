/** Prometheus' number-formatting template functions; each takes a float64 (or what ConvertToFloat accepts). */
import { formatFloat } from './go-float.ts';
import { GoDuration, goTimeString } from './go-time.ts';

const g4 = (v: number) => formatFloat(v, 'g', 4);

const bigPrefixes = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const smallPrefixes = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/**
 * `humanize`: SI prefixes (k M G T P E Z Y, m u n p f a z y; Prometheus writes micro as `u`) on 4 significant
 * digits: 1234567 → `1.235M`, 0.00012 → `120u`; 0, NaN and ±Inf plain.
 */
export function humanize(x: number): string {
  let v = x;
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of bigPrefixes) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of smallPrefixes) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return g4(v) + prefix;
}

/** `humanize1024`: binary prefixes (ki Mi Gi Ti Pi Ei Zi Yi) on 4 significant digits: 1048576 → `1Mi`. */
export function humanize1024(x: number): string {
  let v = x;
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

/** `humanizeDuration` of seconds: `1d 1h 1m 1s`, `1h 0m 5s`, `1.5s`, `500ms`, `0s`; NaN and ±Inf plain. */
export function humanizeDuration(x: number): string {
  let v = x;
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return `${g4(v)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    v = Math.abs(v);
    const whole = Math.trunc(v);
    const seconds = whole % 60;
    const minutes = Math.trunc(whole / 60) % 60;
    const hours = Math.trunc(whole / 3600) % 24;
    const days = Math.trunc(whole / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(v)}s`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${g4(v)}${prefix}s`;
}

/** `humanizePercentage`: a ratio as a percentage on 4 significant digits: 0.1234 → `12.34%`. */
export function humanizePercentage(x: number): string {
  return `${g4(x * 100)}%`;
}

/** A Unix time in seconds as a Date (millisecond precision, as Prometheus' model.Time). Throws for NaN, ±Inf and overflow. */
export function floatToTime(v: number): Date {
  if (!Number.isFinite(v)) throw new Error('value is NaN or Inf');
  const ns = v * 1e9;
  if (ns >= 2 ** 63 || ns < -(2 ** 63)) {
    throw new Error(
      `${formatFloat(v, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`,
    );
  }
  return new Date(Number(BigInt(Math.trunc(ns)) / 1_000_000n));
}

/** `humanizeTimestamp`: a Unix time in seconds as Go prints a UTC time: `2015-06-23 13:19:44.128 +0000 UTC`. */
export function humanizeTimestamp(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  return goTimeString(floatToTime(v));
}

/** `toDuration`: seconds as a Go duration (prints like `1h0m0s`). */
export function toDuration(v: number): GoDuration {
  return new GoDuration(Math.trunc(v * 1e9));
}
