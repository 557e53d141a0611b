/**
 * The step-invariance check of instant evals (upstream's `atModifierTestCases`): the expression is re-run with
 * `@ <eval time>` on every selector and outermost subquery lacking one, at other evaluation times, and must
 * give the same answer. Done on the syntax tree, printed back with `exprToString`.
 */
import { atModifierUnsafeFunctions } from '../engine/preprocess.ts';
import { allFeatures, children, type Expr, exprToString, parseExpr } from '../parser/index.ts';

export interface AtModifierCase {
  /** The expression with `@` pinned to the original evaluation time. */
  readonly expr: string;
  /** Where to evaluate it (Unix ms): every one must give the original expectation. */
  readonly evalTimesMs: readonly number[];
}

/**
 * The `@` variant of `expr` evaluated at `evalMs`, or null when the expression calls a function of
 * `atModifierUnsafeFunctions` outside an `@`-pinned subquery (upstream skips those). Selectors inside a
 * subquery that has (or gets) an `@` are left alone. Throws ParseError when `expr` does not parse.
 */
export function atModifierCase(expr: string, evalMs: number): AtModifierCase | null {
  const tree = parseExpr(expr, allFeatures);
  let unsafe = false;
  const visit = (e: Expr): void => {
    switch (e.type) {
      case 'VectorSelector':
        if (e.timestampMs === null) e.timestampMs = evalMs;
        break;
      case 'MatrixSelector':
        if (e.vectorSelector.type === 'VectorSelector' && e.vectorSelector.timestampMs === null) {
          e.vectorSelector.timestampMs = evalMs;
        }
        break;
      case 'SubqueryExpr':
        // Upstream leaves everything under a pinned subquery untouched, function calls included.
        if (e.timestampMs === null) e.timestampMs = evalMs;
        return;
      case 'Call':
        if (atModifierUnsafeFunctions.has(e.func.name)) unsafe = true;
        break;
    }
    for (const c of children(e)) visit(c);
  };
  visit(tree);
  if (unsafe) return null;
  const evalTimesMs = evalMs === 0 ? [-1000, 0, 1000] : [-10 * evalMs, 0, Math.trunc(evalMs / 5), evalMs, 10 * evalMs];
  return { expr: exprToString(tree), evalTimesMs };
}

/** Upstream skips the range-mode re-run for expressions that depend on the query's range or step. */
export function dependsOnQueryRange(expr: string): boolean {
  return /(start|end|range|step)\(\)/.test(expr);
}
