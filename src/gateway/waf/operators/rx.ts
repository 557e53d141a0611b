import type RE2 from 're2';
import { compilePcre } from '../regex.ts';
import type { RegexSetPrefilter, RxValue } from './rx-set.ts';
import { type Operator, type OperatorFactory, setCaptures } from './types.ts';

/** Where an `@rx` operator finds its engine's set prefilter; filled when the engine is built. */
interface PrefilterSlot {
  prefilter: RegexSetPrefilter | undefined;
  index: number;
}

const compiled = new WeakMap<Operator, { re: RE2; slot: PrefilterSlot }>();

/** The pattern of an operator built by `rx`, or undefined for any other operator. */
export function rxPattern(op: Operator): RE2 | undefined {
  return compiled.get(op)?.re;
}

/** Has the `rx` operator `op` consult pattern `index` of `prefilter` before running its own pattern. */
export function usePrefilter(op: Operator, prefilter: RegexSetPrefilter, index: number): void {
  const c = compiled.get(op);
  if (c === undefined) return;
  c.slot.prefilter = prefilter;
  c.slot.index = index;
}

/** The first ten groups of `re`'s match in `input`, or null. */
function execGroups(re: RE2, input: string): readonly (string | undefined)[] | null {
  const m = re.exec(input);
  return m === null ? null : m.slice(0, 10);
}

/** `execGroups`, kept in `v` (the entry of `input`) under the pattern's prefilter index. */
function execKept(re: RE2, input: string, v: RxValue, index: number): readonly (string | undefined)[] | null {
  let execs = v.execs;
  if (execs === undefined) {
    execs = new Map();
    v.execs = execs;
  }
  let m = execs.get(index);
  if (m === undefined) {
    m = execGroups(re, input);
    execs.set(index, m);
  }
  return m;
}

/**
 * `@rx`: a PCRE pattern run on RE2 (see regex.ts); with `capture`, fills TX.0–TX.9.
 *
 * RE2 reads UTF-8, and a value is read by hundreds of rules: each distinct value is encoded once per
 * transaction and tested as a Buffer; only a match pays for `exec` on the string (submatches). Measured on
 * our machine with CRS on a benign GET: 1.7 ms → 0.7 ms per request at paranoia level 1, 3.7 → 1.0 at 4.
 * With the engine's set prefilter (rx-set.ts) a value runs through groups of patterns at once, short values'
 * results are kept across transactions, and a negated rule without `capture` skips `exec` (its match fails
 * the rule, so the matched text is never read). `npm run bench -- waf` (in process, CRS PL1, µs CPU per
 * request, together with the target cache and shared transformation results): GET 430 → 175, 1 KB form POST
 * 1,150 → 575, GET with a new query value each time 435 → 250. A value's entry is found through the slot its
 * shared input list keeps (`ctx.rxValues`) when there is one, and `exec`'s groups are kept in the entry:
 * a short value matched by a pattern (CRS's `^.*$` on header names) is executed once, not per request.
 */
export const rx: OperatorFactory = (param) => {
  const c = compilePcre(param);
  if (!c.ok) return { error: `cannot compile regex for RE2: ${c.reason}` };
  const re = c.re;
  const slot: PrefilterSlot = { prefilter: undefined, index: -1 };
  const op: Operator = (input, ctx) => {
    const shared = ctx.rxValues;
    let v = shared === undefined ? undefined : shared[ctx.inputIndex as number];
    if (v === undefined) {
      const cache = ctx.state.rxValues;
      v = cache.get(input);
      if (v === undefined) {
        v = slot.prefilter?.value(input) ?? { bytes: Buffer.from(input, 'utf8'), results: undefined, execs: undefined };
        if (input.length < 65536) cache.set(input, v);
      }
      if (shared !== undefined) shared[ctx.inputIndex as number] = v;
    }
    const known = slot.prefilter?.test(v, slot.index);
    if (known === false) return false;
    if (known === undefined && !re.test(v.bytes)) return false;
    if (ctx.negated === true && !ctx.capture) return true;
    const m = slot.index < 0 ? execGroups(re, input) : execKept(re, input, v, slot.index);
    if (m === null) return false;
    ctx.matched = m[0] as string;
    if (ctx.capture) setCaptures(ctx.state, m);
    return true;
  };
  compiled.set(op, { re, slot });
  return op;
};
