/**
 * Prepares a parsed query for one evaluation (upstream's `PreprocessExpr`): resolves `@ start()`/`@ end()` to
 * timestamps, computes duration expressions (`[step() * 2]`, `offset range()`), and wraps the largest subtrees
 * whose value is the same at every step in StepInvariantExpr so the evaluator computes them once.
 */
import {
  type Call,
  type DurationExpr,
  type Expr,
  positionRange,
  type StepInvariantExpr,
  type SubqueryExpr,
  startPosInput,
  type VectorSelector,
} from '../parser/index.ts';
import { scalarBinop } from './binop.ts';
import { QueryBadDataError } from './errors.ts';

/**
 * Functions whose value depends on the evaluation time even when their arguments are pinned by `@` (upstream's
 * `AtModifierUnsafeFunctions`, with the query-time functions `start()` and `end()`).
 */
export const atModifierUnsafeFunctions: ReadonlySet<string> = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
  'start',
  'end',
]);

export interface PreprocessContext {
  readonly query: string;
  readonly startMs: number;
  readonly endMs: number;
  /** The query step, ms; 0 for an instant query. */
  readonly stepMs: number;
}

/** Rewrites `expr` in place for one evaluation and returns the (possibly wrapped) root. */
export function preprocess(expr: Expr, ctx: PreprocessContext): Expr {
  resolveDurations(expr, ctx);
  const [invariant, wrap] = walk(expr, ctx);
  return invariant && wrap ? stepInvariant(expr) : expr;
}

const stepInvariant = (expr: Expr): StepInvariantExpr => ({ type: 'StepInvariantExpr', expr });

function pin(node: VectorSelector | SubqueryExpr, ctx: PreprocessContext): void {
  if (node.startOrEnd === 'start') node.timestampMs = ctx.startMs;
  else if (node.startOrEnd === 'end') node.timestampMs = ctx.endMs;
}

/** Returns [isStepInvariant, worthWrapping] as upstream's `preprocessExprHelper`. */
function walk(e: Expr, ctx: PreprocessContext): [boolean, boolean] {
  switch (e.type) {
    case 'VectorSelector':
      pin(e, ctx);
      return [e.timestampMs !== null, e.timestampMs !== null];
    case 'AggregateExpr':
      if (e.param !== null) walk(e.param, ctx);
      return walk(e.expr, ctx);
    case 'BinaryExpr': {
      const [li, lw] = walk(e.lhs, ctx);
      const [ri, rw] = walk(e.rhs, ctx);
      if (li && ri) return [true, lw || rw];
      if (li && lw) e.lhs = stepInvariant(e.lhs);
      if (ri && rw) e.rhs = stepInvariant(e.rhs);
      return [false, false];
    }
    case 'Call':
      return walkCall(e, ctx);
    case 'MatrixSelector':
      return walk(e.vectorSelector, ctx);
    case 'SubqueryExpr': {
      const [inner, wrap] = walk(e.expr, ctx);
      if (inner && wrap) e.expr = stepInvariant(e.expr);
      pin(e, ctx);
      return [e.timestampMs !== null, e.timestampMs !== null];
    }
    case 'ParenExpr':
    case 'UnaryExpr':
      return walk(e.expr, ctx);
    case 'NumberLiteral':
    case 'StringLiteral':
      return [true, false];
    default:
      return [false, false];
  }
}

function walkCall(e: Call, ctx: PreprocessContext): [boolean, boolean] {
  let invariant = !atModifierUnsafeFunctions.has(e.func.name);
  const flags = e.args.map((a) => walk(a, ctx));
  for (const [i] of flags) invariant &&= i;
  if (invariant) return [true, flags.some(([, w]) => w)];
  flags.forEach(([i, w], k) => {
    if (i && w) e.args[k] = stepInvariant(e.args[k] as Expr);
  });
  return [false, false];
}

/** Computes every duration expression under `e` into the node's millisecond fields. */
function resolveDurations(e: Expr, ctx: PreprocessContext): void {
  switch (e.type) {
    case 'VectorSelector':
      if (e.originalOffsetExpr !== null) e.originalOffsetMs = durationMs(e.originalOffsetExpr, true, ctx);
      return;
    case 'MatrixSelector':
      if (e.rangeExpr !== null) e.rangeMs = durationMs(e.rangeExpr, false, ctx);
      resolveDurations(e.vectorSelector, ctx);
      return;
    case 'SubqueryExpr':
      if (e.rangeExpr !== null) e.rangeMs = durationMs(e.rangeExpr, false, ctx);
      if (e.stepExpr !== null) e.stepMs = durationMs(e.stepExpr, false, ctx);
      if (e.originalOffsetExpr !== null) e.originalOffsetMs = durationMs(e.originalOffsetExpr, true, ctx);
      resolveDurations(e.expr, ctx);
      return;
    case 'AggregateExpr':
      if (e.param !== null) resolveDurations(e.param, ctx);
      resolveDurations(e.expr, ctx);
      return;
    case 'BinaryExpr':
      resolveDurations(e.lhs, ctx);
      resolveDurations(e.rhs, ctx);
      return;
    case 'Call':
      for (const a of e.args) resolveDurations(a, ctx);
      return;
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      resolveDurations(e.expr, ctx);
      return;
    default:
      return;
  }
}

function durationMs(d: DurationExpr, allowNegative: boolean, ctx: PreprocessContext): number {
  const seconds = durationSeconds(d, ctx);
  if (seconds <= 0 && !allowNegative) {
    throw new QueryBadDataError(`${startPosInput(ctx.query, positionRange(d).start)}: duration must be greater than 0`);
  }
  if (!(Math.abs(seconds) < 2 ** 63 / 1e9)) throw new QueryBadDataError('duration is out of range');
  return Math.trunc(Math.trunc(seconds * 1e9) / 1e6);
}

function durationSeconds(e: Expr | null, ctx: PreprocessContext): number {
  if (e === null) return 0;
  switch (e.type) {
    case 'NumberLiteral':
      return e.val;
    case 'ParenExpr':
      return durationSeconds(e.expr, ctx);
    case 'UnaryExpr':
      return e.op === '-' ? -durationSeconds(e.expr, ctx) : durationSeconds(e.expr, ctx);
    case 'DurationExpr':
      break;
    default:
      throw new QueryBadDataError(`unexpected ${e.type} in a duration expression`);
  }
  switch (e.op) {
    case 'step':
      return ctx.stepMs / 1000;
    case 'range':
      return (ctx.endMs - ctx.startMs) / 1000;
    case 'min_of':
      return Math.min(durationSeconds(e.lhs, ctx), durationSeconds(e.rhs, ctx));
    case 'max_of':
      return Math.max(durationSeconds(e.lhs, ctx), durationSeconds(e.rhs, ctx));
  }
  const r = durationSeconds(e.rhs, ctx);
  if (e.lhs === null) return e.op === '-' ? -r : r;
  const l = durationSeconds(e.lhs, ctx);
  if (e.op === '/' && r === 0) throw new QueryBadDataError('division by zero');
  if (e.op === '%' && r === 0) throw new QueryBadDataError('modulo by zero');
  return scalarBinop(e.op, l, r);
}
