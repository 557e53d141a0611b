/**
 * `label_replace` and `label_join`: rewrite one label of every series, keeping values and the `dropName` mark
 * (which setting `__name__` clears). Argument errors are upstream's `QueryExecutionError`s, raised at the first
 * step whether or not the vector is empty. Output label sets are cached per input label set in `ctx.cache`, so a
 * range query rewrites each series once. Duplicate output label sets are the evaluator's to reject.
 */
import type RE2 from 're2';
import { compileAnchored, type Labels, LabelsBuilder, metricNameLabel } from '../../../model/index.ts';
import { isValidUtf8 } from '../../parser/index.ts';
import { QueryExecutionError } from '../errors.ts';
import type { EvalContext, FunctionImpl, InstantArg, InstantFunction } from '../function-types.ts';
import type { Sample, Vector } from '../value.ts';
import { goExpand } from './go-expand.ts';
import { stringArg, vectorArg } from './shared.ts';

/** Whether `name` may be a label name (UTF-8 names: any non-empty valid UTF-8). */
function isValidLabelName(name: string): boolean {
  return name !== '' && isValidUtf8(name);
}

/** The rewritten label set of one input series, or null when it stays as it is. */
type Rewrite = Labels | null;

/**
 * Rewrites every sample of the vector argument with `rewrite`, memoised per input label set under `prefix` in
 * the call's cache. A rewritten sample keeps its value; its `dropName` is cleared when `dst` is `__name__`.
 */
function rewriteVector(
  args: readonly InstantArg[],
  ctx: EvalContext,
  dst: string,
  rewrite: (metric: Labels) => Rewrite,
): Vector {
  const vec = vectorArg(args, 0);
  const out: Vector = new Array(vec.length);
  for (let i = 0; i < vec.length; i++) {
    const s = vec[i] as Sample;
    const key = `l${s.metric.key()}`;
    let result = ctx.cache.get(key) as Rewrite | undefined;
    if (result === undefined) {
      result = rewrite(s.metric);
      ctx.cache.set(key, result);
    }
    out[i] =
      result === null
        ? { metric: s.metric, t: ctx.ts, f: s.f, dropName: s.dropName }
        : { metric: result, t: ctx.ts, f: s.f, dropName: dst === metricNameLabel ? false : s.dropName };
  }
  return out;
}

/** The compiled `^(?s:regex)$` of this call, compiled once and kept in the call's cache. */
function labelReplaceRegex(regex: string, ctx: EvalContext): RE2 {
  const cached = ctx.cache.get('r');
  if (cached !== undefined) return cached as RE2;
  let re: RE2;
  try {
    re = compileAnchored(regex, { dotAll: true });
  } catch (err) {
    throw new QueryExecutionError(`invalid regular expression in label_replace(): ${regex}`, { cause: err });
  }
  ctx.cache.set('r', re);
  return re;
}

/** `label_replace(v, dst, replacement, src, regex)`: sets `dst` to the expanded replacement where `src` matches. */
const labelReplace: InstantFunction = (args, _call, ctx) => {
  const dst = stringArg(args, 1);
  const replacement = stringArg(args, 2);
  const src = stringArg(args, 3);
  const re = labelReplaceRegex(stringArg(args, 4), ctx);
  if (!isValidLabelName(dst))
    throw new QueryExecutionError(`invalid destination label name in label_replace(): ${dst}`);
  return rewriteVector(args, ctx, dst, (metric) => {
    const m = re.exec(metric.get(src));
    if (m === null) return null;
    return new LabelsBuilder(metric).set(dst, goExpand(replacement, m)).labels();
  });
};

/** `label_join(v, dst, separator, src…)`: sets `dst` to the source values joined (absent labels join as ''). */
const labelJoin: InstantFunction = (args, _call, ctx) => {
  const dst = stringArg(args, 1);
  const separator = stringArg(args, 2);
  const sources: string[] = [];
  for (let i = 3; i < args.length; i++) {
    const src = stringArg(args, i);
    if (!isValidLabelName(src)) throw new QueryExecutionError(`invalid source label name in label_join(): ${src}`);
    sources.push(src);
  }
  if (!isValidLabelName(dst)) throw new QueryExecutionError(`invalid destination label name in label_join(): ${dst}`);
  return rewriteVector(args, ctx, dst, (metric) =>
    new LabelsBuilder(metric).set(dst, sources.map((src) => metric.get(src)).join(separator)).labels(),
  );
};

/** The label functions, keyed by PromQL name. */
export const labelFunctions = {
  label_replace: { kind: 'instant', fn: labelReplace },
  label_join: { kind: 'instant', fn: labelJoin },
} satisfies Record<string, FunctionImpl>;
