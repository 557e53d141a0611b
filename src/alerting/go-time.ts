/** Go's RFC 3339 time with nanoseconds (`time.RFC3339Nano`, UTC): fraction without trailing zeros. */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const [head, frac] = iso.slice(0, -1).split('.') as [string, string];
  const f = frac.replace(/0+$/, '');
  return f === '' ? `${head}Z` : `${head}.${f}Z`;
}

/** Parses an RFC 3339 time (any precision, any offset) to Unix milliseconds; NaN when invalid. */
export function parseTime(s: string): number {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s)) return Number.NaN;
  // Date keeps milliseconds; extra digits are dropped, not rounded, as a truncation to ms.
  const m = /^(.*:\d\d)(\.\d+)?(.*)$/.exec(s) as RegExpExecArray;
  const frac = m[2] === undefined ? '' : m[2].slice(0, 4);
  return Date.parse(`${m[1]}${frac}${m[3]}`);
}
