/** The PromQL parser: text to syntax tree, type checking, printing and pretty-printing. */

export type {
  AggregateExpr,
  AggregateOp,
  ArithmeticOp,
  AtPreprocessor,
  BinaryExpr,
  BinaryOp,
  Call,
  Cardinality,
  ComparisonOp,
  DurationExpr,
  DurationOp,
  Expr,
  MatrixSelector,
  NumberLiteral,
  ParenExpr,
  PositionRange,
  SetOp,
  StepInvariantExpr,
  StringLiteral,
  SubqueryExpr,
  TrimOp,
  UnaryExpr,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
export { children, documentedType, exprType, positionRange } from './ast.ts';
export type { DumpOptions } from './ast-dump.ts';
export { dumpExpr } from './ast-dump.ts';
export type { DurationParse } from './duration.ts';
export { formatDuration, parseDuration } from './duration.ts';
export type { ParseProblem } from './errors.ts';
export { ParseError, startPosInput } from './errors.ts';
export type { FunctionSignature } from './functions.ts';
export { functions, lookupFunction } from './functions.ts';
export { goQuote, isValidUtf8 } from './go-strings.ts';
export { parseExpr, parseMetricSelector } from './parser.ts';
export type { ParseOptions } from './parser-state.ts';
export { allFeatures } from './parser-state.ts';
export type { PrettifyOptions } from './prettier.ts';
export { prettify } from './prettier.ts';
export { exprToString, formatLabelName, formatMatcher } from './printer.ts';
export { goRegexpError } from './regexp-errors.ts';
