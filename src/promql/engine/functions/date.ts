/**
 * Calendar functions (`year`, `month`, `day_of_month`, `day_of_week`, `day_of_year`, `days_in_month`, `hour`,
 * `minute`): each sample's value is read as Unix seconds, truncated to an integer as Go's `int64(f)` does, and
 * broken down in UTC on the proleptic Gregorian calendar. Without an argument the evaluator passes
 * `vector(time())`. Results drop the metric name.
 */
import type { FunctionImpl, InstantFunction } from '../function-types.ts';
import { vectorArg, withoutName } from './shared.ts';

/** A UTC calendar breakdown of one instant. */
interface CivilTime {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  /** 1–366. */
  yearDay: number;
  /** 0 (Sunday) – 6. */
  weekday: number;
  hour: number;
  minute: number;
}

const secondsPerDay = 86400;

/**
 * Go's `int64(f)` on amd64 (`CVTTSD2SQ`): truncation toward zero, and -2^63 for NaN, ±Inf and anything out of
 * range. Returned as a bigint only when it does not fit a safe integer.
 */
function goInt64(f: number): number | bigint {
  if (!(f >= -(2 ** 63) && f < 2 ** 63)) return -(2n ** 63n);
  const t = Math.trunc(f);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** Whole days since 1970-01-01 and the second of that day (0–86399) for Unix seconds `sec`. */
function splitDays(sec: number | bigint): { days: number; secOfDay: number } {
  if (typeof sec === 'number') {
    let days = Math.floor(sec / secondsPerDay);
    let secOfDay = sec - days * secondsPerDay;
    // The division may round up to the next day for large |sec|; settle it exactly.
    if (secOfDay < 0) {
      days--;
      secOfDay += secondsPerDay;
    } else if (secOfDay >= secondsPerDay) {
      days++;
      secOfDay -= secondsPerDay;
    }
    return { days, secOfDay };
  }
  let days = sec / 86400n;
  if (sec % 86400n < 0n) days -= 1n;
  return { days: Number(days), secOfDay: Number(sec - days * 86400n) };
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/**
 * The UTC calendar breakdown of `unixSeconds` (Howard Hinnant's `civil_from_days`), exact over Go's whole int64
 * range; NaN, ±Inf and out-of-range values read as -2^63 s as on amd64.
 */
export function civilTime(unixSeconds: number): CivilTime {
  const { days, secOfDay } = splitDays(goInt64(unixSeconds));
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  // doy counts from March 1st (0-based); January 1st is its day 306.
  const yearDay = month <= 2 ? doy - 305 : doy + 60 + (isLeap(year) ? 1 : 0);
  return {
    year,
    month,
    day,
    yearDay,
    weekday: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
  };
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(t: CivilTime): number {
  return t.month === 2 && isLeap(t.year) ? 29 : (monthDays[t.month - 1] as number);
}

/** An instant function mapping each sample's time value through `part`. */
function dateFunction(part: (t: CivilTime) => number): FunctionImpl {
  const fn: InstantFunction = (args, _call, ctx) =>
    vectorArg(args, 0).map((s) => withoutName(s.metric, part(civilTime(s.f)), ctx));
  return { kind: 'instant', fn };
}

/** The calendar functions, keyed by PromQL name. */
export const dateFunctions = {
  year: dateFunction((t) => t.year),
  month: dateFunction((t) => t.month),
  day_of_month: dateFunction((t) => t.day),
  day_of_week: dateFunction((t) => t.weekday),
  day_of_year: dateFunction((t) => t.yearDay),
  days_in_month: dateFunction(daysInMonth),
  hour: dateFunction((t) => t.hour),
  minute: dateFunction((t) => t.minute),
} satisfies Record<string, FunctionImpl>;
