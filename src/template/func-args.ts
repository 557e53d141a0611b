/** Argument checks for template functions, failing the way Go's template executor words it. */
import { ArgumentError } from './errors.ts';
import { GoDuration } from './go-time.ts';
import { goTypeName } from './value.ts';

/** Throws unless exactly `want` arguments were given. */
export function arity(name: string, args: readonly unknown[], want: number): void {
  if (args.length !== want)
    throw new ArgumentError(`wrong number of args for ${name}: want ${want} got ${args.length}`);
}

/** A string argument; a missing key (undefined) is "". */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  throw new ArgumentError(`wrong type for value; expected string; got ${goTypeName(v)}`);
}

/** A list of strings (Go `[]string`). */
export function strings(v: unknown): string[] {
  if (Array.isArray(v) && v.every((e) => typeof e === 'string')) return v;
  if (v === undefined || v === null) return [];
  throw new ArgumentError(`wrong type for value; expected []string; got ${goTypeName(v)}`);
}

/**
 * A number as Prometheus' `ConvertToFloat` reads one: floats, ints, numeric strings (Go's ParseFloat syntax)
 * and durations (in seconds). Throws for anything else.
 */
export function toFloat(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'string': {
      const t = v.replace(/_/g, '');
      if (/^[+-]?(inf|infinity)$/i.test(t))
        return t.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      if (/^[+-]?nan$/i.test(t)) return Number.NaN;
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || /^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) {
        return t.includes('x') || t.includes('X')
          ? Number(t.replace(/^([+-])?/, '')) * (t.startsWith('-') ? -1 : 1)
          : Number(t);
      }
      throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    }
    default:
      if (v instanceof GoDuration) return v.Seconds();
      throw new Error(`can't convert ${goTypeName(v)} to float`);
  }
}
