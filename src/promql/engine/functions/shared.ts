/**
 * Helpers every function family uses: reading the evaluated arguments, building output samples, and dropping the
 * metric name the way upstream does.
 */
import type { Labels } from '../../../model/index.ts';
import type { EvalContext, InstantArg } from '../function-types.ts';
import type { Sample, Vector } from '../value.ts';

/**
 * The labels a function result loses with its name (upstream's `schema.IsMetadataLabel`): the metric name and
 * the type and unit labels that travel with it.
 */
const metadataLabels = ['__name__', '__type__', '__unit__'];

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

/**
 * A result sample at the current step whose series loses its name: with delayed name removal the metric is kept
 * and marked `dropName`; without, the name (and `__type__`/`__unit__`) is removed here.
 */
export function withoutName(metric: Labels, f: number, ctx: EvalContext): Sample {
  if (ctx.delayedNameRemoval) return { metric, t: ctx.ts, f, dropName: true };
  return { metric: metric.without(...metadataLabels), t: ctx.ts, f, dropName: false };
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
