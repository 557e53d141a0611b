/**
 * The syntax tree of `/api/v1/parse_query`, in the shape of upstream's `web/api/v1/translate_ast.go` (v3.13, with
 * duration expressions): what the UI's tree view reads. Durations and offsets are milliseconds; an `@` timestamp
 * is Unix ms or null.
 */
import type { Matcher } from '../../model/index.ts';
import { type DurationExpr, type Expr, formatGoFloat, type VectorSelector } from '../../promql/index.ts';

type Json = Record<string, unknown> | null;

/** Upstream's `translateAST`. The parser never returns a StepInvariantExpr; it is translated as its child. */
export function translateAst(node: Expr | null): Json {
  if (node === null) return null;
  switch (node.type) {
    case 'AggregateExpr':
      return {
        type: 'aggregation',
        op: node.op,
        expr: translateAst(node.expr),
        param: translateAst(node.param),
        grouping: node.grouping,
        without: node.without,
      };
    case 'BinaryExpr': {
      const m = node.vectorMatching;
      return {
        type: 'binaryExpr',
        op: node.op,
        lhs: translateAst(node.lhs),
        rhs: translateAst(node.rhs),
        matching:
          m === null
            ? null
            : {
                card: m.card,
                labels: m.matchingLabels,
                on: m.on,
                include: m.include,
                fillValues: { lhs: m.fillValues.lhs, rhs: m.fillValues.rhs },
              },
        bool: node.returnBool,
      };
    }
    case 'Call':
      return {
        type: 'call',
        func: {
          name: node.func.name,
          argTypes: node.func.argTypes,
          variadic: node.func.variadic,
          returnType: node.func.returnType,
        },
        args: node.args.map(translateAst),
      };
    case 'MatrixSelector': {
      const vs = node.vectorSelector as VectorSelector;
      return {
        type: 'matrixSelector',
        name: vs.name,
        range: Math.trunc(node.rangeMs),
        rangeExpr: translateDurationExpr(node.rangeExpr),
        offset: Math.trunc(vs.originalOffsetMs),
        offsetExpr: translateDurationExpr(vs.originalOffsetExpr),
        matchers: translateMatchers(vs.labelMatchers),
        timestamp: vs.timestampMs,
        startOrEnd: vs.startOrEnd,
        anchored: vs.anchored,
        smoothed: vs.smoothed,
      };
    }
    case 'SubqueryExpr':
      return {
        type: 'subquery',
        expr: translateAst(node.expr),
        range: Math.trunc(node.rangeMs),
        rangeExpr: translateDurationExpr(node.rangeExpr),
        offset: Math.trunc(node.originalOffsetMs),
        offsetExpr: translateDurationExpr(node.originalOffsetExpr),
        step: Math.trunc(node.stepMs),
        stepExpr: translateDurationExpr(node.stepExpr),
        timestamp: node.timestampMs,
        startOrEnd: node.startOrEnd,
      };
    case 'DurationExpr':
      return translateDurationExpr(node);
    case 'NumberLiteral':
      return { type: 'numberLiteral', val: formatGoFloat(node.val) };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: translateAst(node.expr) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: node.val };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: node.op, expr: translateAst(node.expr) };
    case 'VectorSelector':
      return {
        type: 'vectorSelector',
        name: node.name,
        offset: Math.trunc(node.originalOffsetMs),
        offsetExpr: translateDurationExpr(node.originalOffsetExpr),
        matchers: translateMatchers(node.labelMatchers),
        timestamp: node.timestampMs,
        startOrEnd: node.startOrEnd,
        anchored: node.anchored,
        smoothed: node.smoothed,
      };
    case 'StepInvariantExpr':
      return translateAst(node.expr);
  }
}

/** Upstream's op spelling: `min_of`/`max_of` are the `min`/`max` tokens there. */
const durationOps: Readonly<Partial<Record<DurationExpr['op'], string>>> = { min_of: 'min', max_of: 'max' };

/** Upstream's `translateDurationExpr`: number literals here say whether they were written as a duration. */
function translateDurationExpr(node: Expr | null): Json {
  if (node === null) return null;
  if (node.type === 'DurationExpr') {
    return {
      type: 'durationExpr',
      op: durationOps[node.op] ?? node.op,
      lhs: translateDurationExpr(node.lhs),
      rhs: translateDurationExpr(node.rhs),
      wrapped: node.wrapped,
    };
  }
  if (node.type === 'NumberLiteral') {
    return { type: 'numberLiteral', val: formatGoFloat(node.val), duration: node.duration };
  }
  return translateAst(node);
}

function translateMatchers(matchers: readonly Matcher[]): Json[] {
  return matchers.map((m) => ({ name: m.name, value: m.value, type: m.type }));
}
