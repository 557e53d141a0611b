/**
 * The PromQL parser: recursive descent with precedence climbing over upstream's grammar (`generated_parser.y`),
 * reproducing its precedence (`or` < `and`/`unless` < comparisons < `+ -` < `* / % atan2` < `^`, right-associative),
 * its error messages and their positions.
 */
import type { Matcher } from '../../model/index.ts';
import { type AggregateExpr, type AggregateOp, type Call, type Expr, mergeRanges, type NumberLiteral } from './ast.ts';
import { checkAst } from './check.ts';
import { ParseError } from './errors.ts';
import { functions as allFunctions, type FunctionSignature, lookupFunction } from './functions.ts';
import { goQuote } from './go-strings.ts';
import { newBinaryExpr, parseBinModifiers } from './parser-binary.ts';
import { numberDurationLiteral } from './parser-durations.ts';
import { parsePostfix } from './parser-modifiers.ts';
import { metricIdentifierTypes, parseGroupingLabels, parseVectorSelector, unquoteItem } from './parser-selectors.ts';
import { Abort, type ErrorContext, type ParseOptions, ParserState } from './parser-state.ts';
import { type Item, type ItemType, isAggregator, itemTypeText } from './token.ts';

const binaryPrecedence: Readonly<Partial<Record<ItemType, number>>> = {
  LOR: 1,
  LAND: 2,
  LUNLESS: 2,
  EQLC: 3,
  NEQ: 3,
  GTE: 3,
  GTR: 3,
  LSS: 3,
  LTE: 3,
  TRIM_UPPER: 3,
  TRIM_LOWER: 3,
  ADD: 4,
  SUB: 4,
  MUL: 5,
  DIV: 5,
  MOD: 5,
  ATAN2: 5,
  POW: 6,
};
/** Unary `+`/`-` bind like `*`: only `^` binds tighter, so `-1^2` is `-(1^2)` and `-a*b` is `(-a)*b`. */
const unaryOperandPrecedence = 6;

const aggregationContext: ErrorContext = { context: 'aggregation', expected: '' };
const functionNameTypes: ReadonlySet<ItemType> = new Set<ItemType>([
  'IDENTIFIER',
  'START',
  'END',
  'STEP',
  'RANGE',
  'MIN_OF',
  'MAX_OF',
]);
const aggregatorsWithParam: ReadonlySet<string> = new Set([
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const experimentalAggregators: ReadonlySet<string> = new Set(['limitk', 'limit_ratio']);

/** Whether an expression can start with an item of this type. */
function canStartExpr(t: ItemType): boolean {
  return (
    metricIdentifierTypes.has(t) ||
    t === 'NUMBER' ||
    t === 'DURATION' ||
    t === 'STRING' ||
    t === 'LEFT_PAREN' ||
    t === 'LEFT_BRACE' ||
    t === 'ADD' ||
    t === 'SUB'
  );
}

const placeholder = (): NumberLiteral => ({
  type: 'NumberLiteral',
  val: 0,
  duration: false,
  posRange: { start: 0, end: 0 },
});

function newState(input: string, options: ParseOptions): ParserState {
  return new ParserState(input, options, options.functions ?? allFunctions);
}

function fail(p: ParserState): never {
  throw new ParseError(p.input, p.problems);
}

/**
 * Parses and type-checks a PromQL expression. Throws ParseError, whose message is upstream's first error
 * (`1:14: parse error: unexpected <by>`) and whose `problems` list every error with its position.
 */
export function parseExpr(input: string, options: ParseOptions = {}): Expr {
  const p = newState(input, options);
  let expr: Expr | undefined;
  try {
    if (p.curType() === 'EOF') {
      p.addError({ start: 0, end: 0 }, 'no expression found in input');
    } else if (p.curType() !== 'ERROR') {
      expr = parseExpression(p, 1);
      if (!p.atEnd) throw p.syntaxError();
    }
    if (p.problems.length === 0 && expr !== undefined) checkAst(p, expr);
  } catch (err) {
    if (err instanceof RangeError) p.addError({ start: 0, end: p.bytes.length }, 'expression is nested too deeply');
    else if (!(err instanceof Abort)) throw err;
  }
  if (p.problems.length > 0 || expr === undefined) fail(p);
  return expr;
}

/**
 * Parses a series selector such as `up{job="api"}` or `{__name__=~"x.*"}` (the `match[]` parameter of the HTTP
 * API) into its matchers, a name outside the braces last. Unlike `parseExpr`, it does not require a non-empty
 * matcher: callers check what they need.
 */
export function parseMetricSelector(input: string): Matcher[] {
  const p = newState(input, {});
  let matchers: Matcher[] = [];
  if (p.curType() !== 'ERROR') {
    try {
      matchers = parseVectorSelector(p).labelMatchers;
      if (!p.atEnd) throw p.syntaxError();
    } catch (err) {
      if (!(err instanceof Abort)) throw err;
    }
  }
  if (p.problems.length > 0) fail(p);
  return matchers;
}

/** `expr` with binary operators of at least precedence `minPrec`. */
function parseExpression(p: ParserState, minPrec: number): Expr {
  let lhs = parseUnary(p);
  for (;;) {
    const prec = binaryPrecedence[p.curType()];
    if (prec === undefined || prec < minPrec) return lhs;
    const opItem = p.take();
    const modifiers = parseBinModifiers(p);
    const rhs = parseExpression(p, opItem.type === 'POW' ? prec : prec + 1);
    lhs = newBinaryExpr(p, lhs, opItem, modifiers, rhs);
  }
}

function parseUnary(p: ParserState): Expr {
  if (p.curType() !== 'ADD' && p.curType() !== 'SUB') return parsePostfix(p, parsePrimary(p));
  const op = p.take();
  const operand = parseExpression(p, unaryOperandPrecedence);
  if (operand.type === 'NumberLiteral') {
    if (op.type === 'SUB') operand.val = -operand.val;
    operand.posRange = { start: op.pos, end: operand.posRange.end };
    return operand;
  }
  return { type: 'UnaryExpr', op: op.type === 'SUB' ? '-' : '+', expr: operand, startPos: op.pos };
}

function parsePrimary(p: ParserState): Expr {
  const t = p.curType();
  switch (t) {
    case 'LEFT_PAREN': {
      const lparen = p.take();
      const inner = parseExpression(p, 1);
      const rparen = p.accept('RIGHT_PAREN');
      if (rparen === undefined) throw p.syntaxError();
      return { type: 'ParenExpr', expr: inner, posRange: mergeRanges(p.itemRange(lparen), p.itemRange(rparen)) };
    }
    case 'STRING': {
      const item = p.take();
      return { type: 'StringLiteral', val: unquoteItem(p, item), posRange: p.itemRange(item) };
    }
    case 'NUMBER':
    case 'DURATION':
      return numberDurationLiteral(p);
    case 'LEFT_BRACE':
      return parseVectorSelector(p);
  }
  if (isAggregator(t)) {
    const next = p.peekType();
    if (next === 'LEFT_PAREN' || next === 'BY' || next === 'WITHOUT') return parseAggregate(p);
  }
  if (functionNameTypes.has(t) && p.peekType() === 'LEFT_PAREN') return parseCall(p);
  if (metricIdentifierTypes.has(t)) return parseVectorSelector(p);
  throw p.syntaxError();
}

function parseCall(p: ParserState): Call {
  const nameItem = p.take();
  const fn = lookupFunction(nameItem.val, p.functions);
  if (fn === undefined) {
    p.addError(p.itemRange(nameItem), `unknown function with name ${goQuote(nameItem.val)}`);
  } else if (fn.experimental && !p.options.enableExperimentalFunctions) {
    p.addError(p.itemRange(nameItem), `function ${goQuote(nameItem.val)} is not enabled`);
  }
  const args = parseCallBody(p);
  const func: FunctionSignature = fn ?? {
    name: nameItem.val,
    argTypes: [],
    variadic: 0,
    returnType: 'none',
    experimental: false,
  };
  return { type: 'Call', func, args, posRange: { start: nameItem.pos, end: p.lastClosing } };
}

/** `function_call_body`: `(` arguments `)`; a trailing comma is reported and skipped. */
function parseCallBody(p: ParserState): Expr[] {
  if (p.accept('LEFT_PAREN') === undefined) throw p.syntaxError();
  const args: Expr[] = [];
  if (p.accept('RIGHT_PAREN') !== undefined) return args;
  args.push(parseExpression(p, 1));
  for (;;) {
    const comma = p.accept('COMMA');
    if (comma !== undefined) {
      if (canStartExpr(p.curType())) args.push(parseExpression(p, 1));
      else p.addError(p.itemRange(comma), 'trailing commas not allowed in function call args');
      continue;
    }
    if (p.accept('RIGHT_PAREN') !== undefined) return args;
    throw p.syntaxError();
  }
}

function parseAggregate(p: ParserState): AggregateExpr {
  const opItem = p.take();
  try {
    return p.within(aggregationContext, () => {
      let grouping: { labels: string[]; without: boolean } | undefined;
      if (p.curType() === 'BY' || p.curType() === 'WITHOUT') grouping = parseAggregateModifier(p);
      if (p.curType() !== 'LEFT_PAREN') throw p.syntaxError();
      const args = parseCallBody(p);
      if (grouping === undefined && (p.curType() === 'BY' || p.curType() === 'WITHOUT')) {
        grouping = parseAggregateModifier(p);
      }
      return newAggregate(p, opItem, grouping, args);
    });
  } catch (err) {
    if (err instanceof Abort && err.context === aggregationContext) newAggregate(p, opItem, undefined, []);
    throw err;
  }
}

function parseAggregateModifier(p: ParserState): { labels: string[]; without: boolean } {
  const without = p.take().type === 'WITHOUT';
  return { labels: parseGroupingLabels(p), without };
}

function newAggregate(
  p: ParserState,
  opItem: Item,
  grouping: { labels: string[]; without: boolean } | undefined,
  args: Expr[],
): AggregateExpr {
  const op = itemTypeText[opItem.type] as AggregateOp;
  const agg: AggregateExpr = {
    type: 'AggregateExpr',
    op,
    expr: placeholder(),
    param: null,
    grouping: grouping?.labels ?? [],
    without: grouping?.without ?? false,
    posRange: { start: opItem.pos, end: p.lastClosing },
  };
  if (args.length === 0) {
    p.addError(agg.posRange, 'no arguments for aggregate expression provided');
    return agg;
  }
  let desired = 1;
  if (aggregatorsWithParam.has(op)) {
    if (experimentalAggregators.has(op) && !p.options.enableExperimentalFunctions) {
      p.addError(
        agg.posRange,
        `${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`,
      );
      return agg;
    }
    desired = 2;
    agg.param = args[0] as Expr;
  }
  if (args.length !== desired) {
    p.addError(
      agg.posRange,
      `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`,
    );
    return agg;
  }
  agg.expr = args[desired - 1] as Expr;
  return agg;
}
