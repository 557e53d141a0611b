/**
 * The PromQL syntax tree. Nodes are plain objects discriminated by `type`, in the shapes of upstream's `ast.go`.
 * Positions are byte offsets into the UTF-8 encoding of the query; ranges are half-open (`start` inclusive, `end`
 * exclusive). Durations are milliseconds, fractional only for sub-millisecond literals. The parser returns a fresh
 * tree per call; callers may annotate it (the engine does) but no node is shared between trees.
 */
import type { Matcher } from '../../model/index.ts';
import type { FunctionSignature } from './functions.ts';

/** A half-open byte range `[start, end)` in the query. */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** The type an expression evaluates to. `none` only for the absence of one. */
export type ValueType = 'none' | 'vector' | 'scalar' | 'matrix' | 'string';

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'count_values'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
/** `</` keeps the part of a native histogram below a value, `>/` the part above it. */
export type TrimOp = '</' | '>/';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp | TrimOp;
export type DurationOp = '+' | '-' | '*' | '/' | '%' | '^' | 'step' | 'range' | 'min_of' | 'max_of';

/** Which side may have several series per match group. */
export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  card: Cardinality;
  /** Labels of `on(…)` (when `on`) or `ignoring(…)`. */
  matchingLabels: string[];
  on: boolean;
  /** Labels of `group_left(…)` / `group_right(…)` copied from the "one" side. */
  include: string[];
  /** `fill(v)`, `fill_left(v)`, `fill_right(v)`: the value standing in for a missing series on that side. */
  fillValues: { lhs: number | null; rhs: number | null };
}

export interface NumberLiteral {
  readonly type: 'NumberLiteral';
  val: number;
  /** Written as a duration (`5m`); `val` is then in seconds. Only affects printing. */
  duration: boolean;
  posRange: PositionRange;
}

export interface StringLiteral {
  readonly type: 'StringLiteral';
  val: string;
  posRange: PositionRange;
}

/** Where an `@` modifier pins evaluation: a timestamp, or the start or end of the query range. */
export type AtPreprocessor = 'start' | 'end';

export interface VectorSelector {
  readonly type: 'VectorSelector';
  /** The metric name written outside the braces; '' when there is none. */
  name: string;
  /** In source order; a name written outside the braces adds a trailing `__name__=` matcher. */
  labelMatchers: Matcher[];
  originalOffsetMs: number;
  originalOffsetExpr: DurationExpr | null;
  timestampMs: number | null;
  startOrEnd: AtPreprocessor | null;
  anchored: boolean;
  smoothed: boolean;
  /** Set for the label selector argument of `info()`, which may match nothing. */
  bypassEmptyMatcherCheck: boolean;
  posRange: PositionRange;
}

export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  /** A VectorSelector in every tree the parser accepts. */
  vectorSelector: Expr;
  rangeMs: number;
  rangeExpr: DurationExpr | null;
  endPos: number;
}

export interface SubqueryExpr {
  readonly type: 'SubqueryExpr';
  expr: Expr;
  rangeMs: number;
  rangeExpr: DurationExpr | null;
  /** 0 when the step is left to the default. */
  stepMs: number;
  stepExpr: DurationExpr | null;
  originalOffsetMs: number;
  originalOffsetExpr: DurationExpr | null;
  timestampMs: number | null;
  startOrEnd: AtPreprocessor | null;
  endPos: number;
}

export interface Call {
  readonly type: 'Call';
  func: FunctionSignature;
  args: Expr[];
  posRange: PositionRange;
}

export interface AggregateExpr {
  readonly type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  /** The parameter of `topk`, `bottomk`, `quantile`, `count_values`, `limitk`, `limit_ratio`; null otherwise. */
  param: Expr | null;
  grouping: string[];
  without: boolean;
  posRange: PositionRange;
}

export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** Null when an operand is a scalar. */
  vectorMatching: VectorMatching | null;
  returnBool: boolean;
}

export interface UnaryExpr {
  readonly type: 'UnaryExpr';
  op: '+' | '-';
  expr: Expr;
  startPos: number;
}

export interface ParenExpr {
  readonly type: 'ParenExpr';
  expr: Expr;
  posRange: PositionRange;
}

/** Arithmetic on durations in `[…]` and after `offset`; evaluated per query (it may use `step()` and `range()`). */
export interface DurationExpr {
  readonly type: 'DurationExpr';
  op: DurationOp;
  /** Null for unary `+`/`-`, `step()` and `range()`. */
  lhs: Expr | null;
  rhs: Expr | null;
  /** Written inside parentheses. */
  wrapped: boolean;
  startPos: number;
  endPos: number;
}

/** Marks a subtree whose value is the same at every step; made by the engine, never by the parser. */
export interface StepInvariantExpr {
  readonly type: 'StepInvariantExpr';
  expr: Expr;
}

export type Expr =
  | AggregateExpr
  | BinaryExpr
  | Call
  | DurationExpr
  | MatrixSelector
  | NumberLiteral
  | ParenExpr
  | StepInvariantExpr
  | StringLiteral
  | SubqueryExpr
  | UnaryExpr
  | VectorSelector;

/** The type `e` evaluates to. */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'AggregateExpr':
    case 'VectorSelector':
      return 'vector';
    case 'BinaryExpr': {
      let n: Expr = e;
      for (; n.type === 'BinaryExpr'; n = n.lhs) if (exprType(n.rhs) !== 'scalar') return 'vector';
      return exprType(n) === 'scalar' ? 'scalar' : 'vector';
    }
    case 'Call':
      return e.func.returnType;
    case 'DurationExpr':
    case 'NumberLiteral':
      return 'scalar';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'StringLiteral':
      return 'string';
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return exprType(e.expr);
  }
}

/** How error messages name a type: `instant vector`, `range vector`, `scalar`, `string`. */
export function documentedType(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

export function mergeRanges(a: PositionRange, b: PositionRange): PositionRange {
  return { start: a.start, end: b.end };
}

/** The part of the query `e` was parsed from. */
export function positionRange(e: Expr): PositionRange {
  switch (e.type) {
    case 'BinaryExpr': {
      let leftmost: Expr = e;
      while (leftmost.type === 'BinaryExpr') leftmost = leftmost.lhs;
      return { start: positionRange(leftmost).start, end: positionRange(e.rhs).end };
    }
    case 'MatrixSelector':
      return { start: positionRange(e.vectorSelector).start, end: e.endPos };
    case 'SubqueryExpr':
      return { start: positionRange(e.expr).start, end: e.endPos };
    case 'UnaryExpr':
      return { start: e.startPos, end: positionRange(e.expr).end };
    case 'StepInvariantExpr':
      return positionRange(e.expr);
    case 'DurationExpr':
      if (e.op === 'step' || e.op === 'range' || e.op === 'min_of' || e.op === 'max_of' || e.rhs === null) {
        return { start: e.startPos, end: e.endPos };
      }
      if (e.lhs === null) return { start: e.startPos, end: positionRange(e.rhs).end };
      return mergeRanges(positionRange(e.lhs), positionRange(e.rhs));
    default:
      return e.posRange;
  }
}

/** The direct children of `e`, in source order (duration expressions of modifiers excluded). */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'AggregateExpr':
      return e.param === null ? [e.expr] : [e.param, e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'Call':
      return e.args;
    case 'DurationExpr':
      return [e.lhs, e.rhs].filter((x): x is Expr => x !== null);
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'ParenExpr':
    case 'SubqueryExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return [e.expr];
    default:
      return [];
  }
}
