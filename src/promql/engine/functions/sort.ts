/**
 * `sort`, `sort_desc` (by value, NaN last in both) and `sort_by_label`, `sort_by_label_desc` (by the listed
 * labels in natural order, then by the whole label set). Samples keep their labels and `dropName`. The order only
 * matters for instant queries; range query results are ordered by the engine.
 */
import { compareLabels, compareStrings } from '../../../model/index.ts';
import type { FunctionImpl, InstantFunction } from '../function-types.ts';
import type { Sample, Vector } from '../value.ts';
import { stringArg, vectorArg } from './shared.ts';

/** Fresh samples at the current step, in the argument's order. */
function copyAt(vec: Vector, ts: number): Vector {
  return vec.map((s) => ({ metric: s.metric, t: ts, f: s.f, dropName: s.dropName }));
}

/** Orders by value, NaN after every number whatever the direction. Stable for equal values. */
function byValue(descending: boolean): InstantFunction {
  return (args, _call, ctx) =>
    copyAt(vectorArg(args, 0), ctx.ts).sort((a, b) => {
      const an = Number.isNaN(a.f);
      const bn = Number.isNaN(b.f);
      if (an || bn) return an === bn ? 0 : an ? 1 : -1;
      const c = a.f < b.f ? -1 : a.f > b.f ? 1 : 0;
      return descending ? -c : c;
    });
}

/** Splits into maximal runs of ASCII digits and of non-digits, as natsort's `(\d+|\D+)`. */
function chunks(s: string): string[] {
  return s.match(/\d+|\D+/g) ?? [];
}

const maxInt64 = 9223372036854775807n;

/** A chunk's value as Go's `strconv.Atoi` sees it: the integer, or undefined for non-digits and overflow. */
function atoi(chunk: string): bigint | undefined {
  const c = chunk.charCodeAt(0);
  if (c < 0x30 || c > 0x39) return undefined;
  const v = BigInt(chunk);
  return v > maxInt64 ? undefined : v;
}

/**
 * `natsort.Compare(a, b)` (github.com/facette/natsort): whether `a` precedes `b` in natural order. Kept with its
 * quirks: it is not a strict order (equal numeric chunks at the end of `a` make `a` first, and "" precedes
 * nothing), since upstream sorts with it as it is.
 */
export function natLess(a: string, b: string): boolean {
  const ca = chunks(a);
  const cb = chunks(b);
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const x = ca[i] as string;
    const y = cb[i] as string;
    const xi = atoi(x);
    const yi = atoi(y);
    if (xi !== undefined && yi !== undefined) {
      if (xi === yi) {
        if (i === ca.length - 1) return true;
        if (i === cb.length - 1) return false;
        continue;
      }
      return xi < yi;
    }
    if (x === y) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return compareStrings(x, y) < 0;
  }
  return false;
}

/** Orders by the labels named in the string arguments, then by the full label set. */
function byLabels(descending: boolean): InstantFunction {
  return (args, _call, ctx) => {
    const names: string[] = [];
    for (let i = 1; i < args.length; i++) names.push(stringArg(args, i));
    const sign = descending ? -1 : 1;
    return copyAt(vectorArg(args, 0), ctx.ts).sort((a: Sample, b: Sample) => {
      for (const name of names) {
        const x = a.metric.get(name);
        const y = b.metric.get(name);
        if (x === y) continue;
        return natLess(x, y) ? -sign : sign;
      }
      return sign * compareLabels(a.metric, b.metric);
    });
  };
}

/** The sorting functions, keyed by PromQL name. */
export const sortFunctions = {
  sort: { kind: 'instant', fn: byValue(false) },
  sort_desc: { kind: 'instant', fn: byValue(true) },
  sort_by_label: { kind: 'instant', fn: byLabels(false) },
  sort_by_label_desc: { kind: 'instant', fn: byLabels(true) },
} satisfies Record<string, FunctionImpl>;
