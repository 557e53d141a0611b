/**
 * Alertmanager's time intervals (`time_intervals`, deprecated `mute_time_intervals`): named sets of times,
 * weekdays, days of month, months and years in a time zone, which routes mute or activate by name.
 */
import { type Infer, list, object, optional, required, type Schema, scalar, str, withDefault } from '../../schema.ts';
import { q } from './shared.ts';

/** An inclusive range of weekdays (0 = Sunday), days of month (negative = from the end), months or years. */
export type InclusiveRange = { readonly begin: number; readonly end: number };

const weekdayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** Index = month number; index 0 is unused. */
const monthNames = [
  '',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function atoi(s: string): number | { error: string } {
  return /^[+-]?\d+$/.test(s) ? Number(s) : { error: `strconv.Atoi: parsing ${q(s)}: invalid syntax` };
}

/** Splits `a` or `a:b` (case-insensitively), maps both ends with `member`, then applies `check`. */
function rangeSchema(
  expected: string,
  member: (s: string) => number | { error: string },
  check: (r: InclusiveRange) => string | undefined,
  show: (n: number) => string = String,
): Schema<InclusiveRange> {
  return scalar<InclusiveRange>(
    expected,
    (raw) => {
      const text = raw.toLowerCase();
      const parts = text.split(':');
      if (parts.length > 2) return { error: `couldn't parse range ${text}, invalid format` };
      const begin = member(parts[0] as string);
      if (typeof begin !== 'number') return begin;
      const end = parts.length === 2 ? member(parts[1] as string) : begin;
      if (typeof end !== 'number') return end;
      const error = check({ begin, end });
      return error === undefined ? { begin, end } : { error };
    },
    (r) => (r.begin === r.end ? show(r.begin) : `${show(r.begin)}:${show(r.end)}`),
  );
}

const weekdayRange = rangeSchema(
  'a weekday range like monday:friday',
  (s) => (weekdayNames.includes(s) ? weekdayNames.indexOf(s) : { error: `${s} is not a valid weekday` }),
  (r) => (r.begin > r.end ? 'start day cannot be before end day' : undefined),
  (n) => weekdayNames[n] as string,
);

const dayOfMonthRange = rangeSchema('a day-of-month range like 1:5 or -1', atoi, (r) => {
  for (const d of [r.begin, r.end]) {
    if (d === 0 || d < -31 || d > 31) return `${d} is not a valid day of the month: out of range`;
  }
  if (r.begin < 0 && r.end > 0) return 'end day must be negative if start day is negative';
  const b = r.begin < 0 ? 28 + r.begin : r.begin;
  const e = r.end < 0 ? 28 + r.end : r.end;
  return b > e ? `end day ${r.end} is always before start day ${r.begin}` : undefined;
});

const monthRange = rangeSchema(
  'a month range like january:march',
  (s) => {
    const n = monthNames.includes(s) ? monthNames.indexOf(s) : Number(s);
    return s !== '' && Number.isInteger(n) && n >= 1 && n <= 12 ? n : { error: `${s} is not a valid month` };
  },
  (r) => (r.begin > r.end ? `end month ${monthNames[r.end]} is before start month ${monthNames[r.begin]}` : undefined),
  (n) => monthNames[n] as string,
);

const yearRange = rangeSchema('a year range like 2024:2026', atoi, (r) =>
  r.begin > r.end ? `end year ${r.end} is before start year ${r.begin}` : undefined,
);

/** `HH:MM` from 00:00 to 24:00, decoded to minutes since midnight. */
const clock = scalar<number>(
  'a time like 09:30',
  (text) => {
    if (!/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/.test(text)) {
      return { error: `couldn't parse timestamp ${text}, invalid format` };
    }
    return Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
  },
  (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
);

const timeRange = object(
  { start_time: required(clock), end_time: required(clock) },
  {
    check(r, report) {
      if (r.start_time >= r.end_time) report(null, 'start time cannot be equal or greater than end time');
    },
  },
);

/** An IANA time zone name, `UTC` or `Local` (the host's zone). */
const location = scalar('a time zone like Europe/Berlin', (text) => {
  if (text === 'Local' || text === 'UTC') return text;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return text;
  } catch {
    return { error: `unknown time zone ${text}` };
  }
});

/**
 * One time interval: each set key must match (an absent key matches everything; a present empty list
 * matches nothing). `times` are `{start_time, end_time}` in minutes since midnight, end exclusive; `location`
 * is the zone they are read in (@default UTC).
 */
export const timeIntervalSpec = object({
  times: optional(list(timeRange)),
  weekdays: optional(list(weekdayRange)),
  days_of_month: optional(list(dayOfMonthRange)),
  months: optional(list(monthRange)),
  years: optional(list(yearRange)),
  location: optional(location),
});
export type TimeIntervalSpec = Infer<typeof timeIntervalSpec>;

/** A named `time_intervals` (or deprecated `mute_time_intervals`) entry; it is active when any spec matches. */
export const namedTimeInterval = object({
  name: required(str({ nonEmpty: true })),
  time_intervals: withDefault(list(timeIntervalSpec), () => []),
});
export type NamedTimeInterval = Infer<typeof namedTimeInterval>;
