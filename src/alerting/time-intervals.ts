/** Alertmanager's time intervals at run time: whether an instant falls in a named interval. */
import type { InclusiveRange, NamedTimeInterval, TimeIntervalSpec } from '../config/index.ts';

interface Parts {
  minuteOfDay: number;
  weekday: number;
  day: number;
  month: number;
  year: number;
  daysInMonth: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function parts(ms: number, location: string | undefined): Parts {
  const zone = location === undefined || location === 'UTC' ? 'UTC' : location === 'Local' ? '' : location;
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      ...(zone === '' ? {} : { timeZone: zone }),
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(new Date(ms))) p[type] = value;
  const year = Number(p.year);
  const month = Number(p.month);
  return {
    minuteOfDay: Number(p.hour) * 60 + Number(p.minute),
    weekday: weekdays[p.weekday as string] ?? 0,
    day: Number(p.day),
    month,
    year,
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

const inRange = (v: number, r: InclusiveRange) => v >= r.begin && v <= r.end;

/** Whether `ms` falls in the spec: every key given must match (an absent key matches all). */
export function specContains(spec: TimeIntervalSpec, ms: number): boolean {
  const t = parts(ms, spec.location);
  if (
    spec.times !== undefined &&
    !spec.times.some((r) => t.minuteOfDay >= r.start_time && t.minuteOfDay < r.end_time)
  ) {
    return false;
  }
  if (spec.days_of_month !== undefined) {
    const n = t.daysInMonth;
    const ok = spec.days_of_month.some((r) => {
      let begin = r.begin < 0 ? n + r.begin + 1 : r.begin;
      let end = r.end < 0 ? n + r.end + 1 : r.end;
      if (begin > n) return false;
      begin = Math.max(-n, Math.min(n, begin));
      end = Math.max(-n, Math.min(n, end));
      return t.day >= begin && t.day <= end;
    });
    if (!ok) return false;
  }
  if (spec.months !== undefined && !spec.months.some((r) => inRange(t.month, r))) return false;
  if (spec.weekdays !== undefined && !spec.weekdays.some((r) => inRange(t.weekday, r))) return false;
  if (spec.years !== undefined && !spec.years.some((r) => inRange(t.year, r))) return false;
  return true;
}

/** Named intervals, looked up by the names routes give. */
export class TimeIntervals {
  private readonly byName = new Map<string, readonly TimeIntervalSpec[]>();

  constructor(intervals: readonly NamedTimeInterval[]) {
    for (const i of intervals) this.byName.set(i.name, i.time_intervals);
  }

  /** Whether `ms` falls in any of the named intervals (unknown names never match). */
  anyContains(names: readonly string[], ms: number): boolean {
    for (const name of names) {
      const specs = this.byName.get(name);
      if (specs?.some((s) => specContains(s, ms))) return true;
    }
    return false;
  }
}
