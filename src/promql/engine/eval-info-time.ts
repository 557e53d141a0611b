/**
 * The time at which `info()` looks up info series for a step: the time its base expression reads samples at, as
 * set by the `@` and `offset` modifiers of the first selector in it and of the subqueries around that selector.
 */
import type { Expr } from '../parser/index.ts';

/**
 * Maps a step time `t` to `(atMs ?? t) - offsetMs`: a pinned time when `atMs` is set, else `t` shifted back by
 * `offsetMs` (negative offsets shift forward). Unix ms.
 */
export interface InfoTimeShift {
  readonly atMs: number | null;
  readonly offsetMs: number;
}

const unshifted: InfoTimeShift = { atMs: null, offsetMs: 0 };

/** The reference time of step `t` under `shift`, Unix ms. */
export function infoRefTime(shift: InfoTimeShift, t: number): number {
  return (shift.atMs ?? t) - shift.offsetMs;
}

/**
 * The shift of the first vector selector of `e` in depth-first order (operands left to right), composed with the
 * shifts of the subqueries it sits in; no shift when `e` has no selector.
 */
export function infoTimeShift(e: Expr): InfoTimeShift {
  return firstSelectorShift(e) ?? unshifted;
}

function firstSelectorShift(e: Expr): InfoTimeShift | null {
  switch (e.type) {
    case 'VectorSelector':
      return { atMs: e.timestampMs, offsetMs: e.originalOffsetMs };
    case 'MatrixSelector':
      return firstSelectorShift(e.vectorSelector);
    case 'SubqueryExpr': {
      const inner = firstSelectorShift(e.expr);
      if (inner === null) return null;
      // The inner expression runs at steps (at ?? t) - offset of the subquery.
      if (inner.atMs !== null) return inner;
      return { atMs: e.timestampMs, offsetMs: e.originalOffsetMs + inner.offsetMs };
    }
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return firstSelectorShift(e.expr);
    case 'BinaryExpr':
      return firstSelectorShift(e.lhs) ?? firstSelectorShift(e.rhs);
    case 'AggregateExpr':
      return firstSelectorShift(e.expr) ?? (e.param === null ? null : firstSelectorShift(e.param));
    case 'Call':
      for (const a of e.args) {
        const s = firstSelectorShift(a);
        if (s !== null) return s;
      }
      return null;
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'DurationExpr':
      return null;
  }
}
