/**
 * Helpers every function family uses: reading the evaluated arguments, building output samples, and dropping the
 * metric name the way upstream does.
 */
import type { Labels } from '../../../model/index.ts';
import type { Expr } from '../../parser/index.ts';
import type { EvalContext, InstantArg } from '../function-types.ts';
import { dropMetricName } from '../labels.ts';
import type { Sample, Vector } from '../value.ts';

/** The vector argument at `i`. Throws a TypeError when the evaluator passed something else (a wiring bug). */
export function vectorArg(args: readonly InstantArg[], i: number): Vector {
  const a = args[i];
  if (!Array.isArray(a)) throw new TypeError(`function argument ${i} is not a vector`);
  return a;
}

/** The scalar argument at `i`. Throws a TypeError when the evaluator passed something else. */
export function scalarArg(args: readonly InstantArg[], i: number): number {
  const a = args[i];
  if (typeof a !== 'number') throw new TypeError(`function argument ${i} is not a scalar`);
  return a;
}

/** The string argument at `i`. Throws a TypeError when the evaluator passed something else. */
export function stringArg(args: readonly InstantArg[], i: number): string {
  const a = args[i];
  if (typeof a !== 'string') throw new TypeError(`function argument ${i} is not a string`);
  return a;
}

/*
 * Keys of `ctx.cache` used by the functions, by first character: `a` annotations already made, `b` classic
 * histogram buckets, `l` label_replace/label_join rewrites, `n` label sets without their name, `r` compiled
 * regexes. Label-set keys follow the prefix.
 */

/**
 * A result sample at the current step whose series loses its name: with delayed name removal the metric is kept
 * and marked `dropName`; without, the name (and `__type__`/`__unit__`) is removed here, once per label set.
 */
export function withoutName(metric: Labels, f: number, ctx: EvalContext): Sample {
  if (ctx.delayedNameRemoval) return { metric, t: ctx.ts, f, dropName: true };
  const key = `n${metric.key()}`;
  let dropped = ctx.cache.get(key) as Labels | undefined;
  if (dropped === undefined) {
    dropped = dropMetricName(metric);
    ctx.cache.set(key, dropped);
  }
  return { metric: dropped, t: ctx.ts, f, dropName: false };
}

/**
 * Adds a warning or info positioned at `where`, once per call: functions run at every step and for every series,
 * and positioning an annotation is not free.
 */
export function annotate(ctx: EvalContext, level: 'warn' | 'info', text: string, where: Expr | null): void {
  const key = `a${level}${text}`;
  if (ctx.cache.has(key)) return;
  ctx.cache.set(key, true);
  ctx.annotations[level](text, where);
}

/** Applies `fn` to every sample's value (upstream's `simpleFloatFunc`); results drop the metric name. */
export function mapValues(vec: Vector, ctx: EvalContext, fn: (f: number) => number): Vector {
  const out: Vector = new Array(vec.length);
  for (let i = 0; i < vec.length; i++) {
    const s = vec[i] as Sample;
    out[i] = withoutName(s.metric, fn(s.f), ctx);
  }
  return out;
}
