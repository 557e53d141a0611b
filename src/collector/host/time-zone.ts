import { readFileSync } from 'node:fs';

/** The abbreviations and standard offset of a POSIX TZ string (`CET-1CEST,M3.5.0,M10.5.0/3`, `<+03>-3`, `UTC0`). */
export interface PosixZone {
  readonly std: string;
  /** Standard time's offset east of UTC, minutes (POSIX writes it west: `CET-1` is +60). */
  readonly stdOffsetMin: number;
  /** Daylight saving time's abbreviation, '' when the zone has none. */
  readonly dst: string;
}

function readName(s: string, p: number): [string, number] {
  if (s[p] === '<') {
    const end = s.indexOf('>', p);
    return end < 0 ? ['', s.length] : [s.slice(p + 1, end), end + 1];
  }
  let e = p;
  while (e < s.length && /[A-Za-z]/.test(s[e] as string)) e++;
  return [s.slice(p, e), e];
}

/** Parses the zone part of a POSIX TZ string; null when it has no standard abbreviation. */
export function parsePosixZone(tz: string): PosixZone | null {
  const [std, p] = readName(tz, 0);
  if (std === '') return null;
  const m = /^([+-]?)(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(tz.slice(p));
  if (m === null) return null;
  const west = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '-' ? -1 : 1);
  const [dst] = readName(tz, p + m[0].length);
  return { std, stdOffsetMin: 0 - west, dst };
}

/** The POSIX TZ footer of a TZif v2+ file (the text between its last two newlines), or null. */
export function tzifFooter(data: Buffer): string | null {
  if (data.length < 2 || data.subarray(0, 4).toString('latin1') !== 'TZif' || data[data.length - 1] !== 10) return null;
  const start = data.lastIndexOf(10, data.length - 2);
  if (start < 0) return null;
  return data.subarray(start + 1, data.length - 1).toString('latin1');
}

/**
 * The local time zone's abbreviation for a moment whose offset east of UTC is `offsetMin`, as Go's
 * `time.Now().Zone()` names it (`UTC`, `CET`, `CEST`, `+03`): from the TZif file of `$TZ` or `/etc/localtime`, else
 * from Intl (which says `GMT+1` where Go says `CET`).
 */
export function zoneAbbreviation(nowMs: number, offsetMin: number, rootPath = ''): string {
  let tz = process.env.TZ;
  let file = `${rootPath}/etc/localtime`;
  if (tz !== undefined && tz !== '') {
    if (tz.startsWith(':')) tz = tz.slice(1);
    file = tz.startsWith('/') ? tz : `${rootPath}/usr/share/zoneinfo/${tz}`;
  }
  let zone: PosixZone | null = null;
  try {
    const footer = tzifFooter(readFileSync(file));
    if (footer !== null) zone = parsePosixZone(footer);
  } catch {
    if (tz !== undefined && tz !== '') zone = parsePosixZone(tz);
  }
  if (zone !== null) return offsetMin === zone.stdOffsetMin || zone.dst === '' ? zone.std : zone.dst;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(new Date(nowMs));
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}
