/**
 * Number and duration literals, and duration expressions: the contents of `[…]` and what follows `offset`.
 * Duration expressions have their own small grammar (`+ - * / % ^`, `step()`, `range()`, `min_of`, `max_of`,
 * parentheses) without vectors or function calls.
 */
import { type DurationExpr, type DurationOp, type NumberLiteral, positionRange } from './ast.ts';
import { nsToSeconds, parseDuration } from './duration.ts';
import { parseNumberLiteral } from './go-numbers.ts';
import type { ParserState } from './parser-state.ts';
import { type Item, type ItemType, itemTypeText } from './token.ts';

/** The largest duration literal, in seconds (what fits a signed 64-bit count of nanoseconds). */
const maxDurationSeconds = 2 ** 63 / 1e9;

const precedence: Readonly<Partial<Record<ItemType, number>>> = { ADD: 4, SUB: 4, MUL: 5, DIV: 5, MOD: 5, POW: 6 };
const powPrecedence = 6;
const startTypes: ReadonlySet<ItemType> = new Set<ItemType>([
  'NUMBER',
  'DURATION',
  'ADD',
  'SUB',
  'LEFT_PAREN',
  'STEP',
  'RANGE',
  'MIN_OF',
  'MAX_OF',
]);

/** Whether a duration expression can start with an item of this type. */
export const canStartDuration = (t: ItemType): boolean => startTypes.has(t);

export type DurationValue = NumberLiteral | DurationExpr;

const zero = (): NumberLiteral => ({ type: 'NumberLiteral', val: 0, duration: false, posRange: { start: 0, end: 0 } });

/** `number_duration_literal`: a NUMBER or DURATION item as a literal; durations are in seconds. */
export function numberDurationLiteral(p: ParserState): NumberLiteral {
  const item = p.take();
  const posRange = p.itemRange(item);
  if (item.type === 'DURATION') {
    const d = parseDuration(item.val);
    if (d.error !== undefined) p.addError(posRange, d.error);
    return { type: 'NumberLiteral', val: d.error === undefined ? nsToSeconds(d.ns) : 0, duration: true, posRange };
  }
  const n = parseNumberLiteral(item.val);
  if (n.error !== undefined) p.addError(posRange, `error parsing number: ${n.error}`);
  return { type: 'NumberLiteral', val: n.value, duration: false, posRange };
}

function checkedLiteral(p: ParserState, nl: NumberLiteral, errorAt: Item | null): NumberLiteral {
  if (nl.val > maxDurationSeconds || nl.val < -maxDurationSeconds) {
    p.addError(errorAt === null ? nl.posRange : p.itemRange(errorAt), 'duration out of range');
    return zero();
  }
  return nl;
}

function experimental(p: ParserState, e: DurationValue): void {
  if (!p.options.experimentalDurationExpr)
    p.addError(positionRange(e), 'experimental duration expression is not enabled');
}

/** `positive_duration_expr`: a duration expression whose literal value must be greater than zero. */
export function parsePositiveDurationExpr(p: ParserState): DurationValue {
  const e = parseDurationExpr(p, 1);
  if (e.type === 'NumberLiteral' && e.val <= 0) {
    p.addError(e.posRange, 'duration must be greater than 0');
    return zero();
  }
  return e;
}

/** `duration_expr` with binary operators of at least precedence `minPrec`. */
export function parseDurationExpr(p: ParserState, minPrec: number): DurationValue {
  return parseDurationBinary(p, parseDurationUnary(p), minPrec);
}

function parseDurationBinary(p: ParserState, first: DurationValue, minPrec: number): DurationValue {
  let lhs = first;
  for (;;) {
    const prec = precedence[p.curType()];
    if (prec === undefined || prec < minPrec) return lhs;
    const opItem = p.take();
    const rhs = parseDurationExpr(p, opItem.type === 'POW' ? prec : prec + 1);
    experimental(p, lhs);
    if ((opItem.type === 'DIV' || opItem.type === 'MOD') && rhs.type === 'NumberLiteral' && rhs.val === 0) {
      p.addError(p.itemRange(opItem), opItem.type === 'DIV' ? 'division by zero' : 'modulo by zero');
      lhs = zero();
      continue;
    }
    const op = itemTypeText[opItem.type] as DurationOp;
    lhs = { type: 'DurationExpr', op, lhs, rhs, wrapped: false, startPos: 0, endPos: 0 };
  }
}

/** Applies a sign to a duration operand: folded into a literal, or a unary DurationExpr for `-`. */
function signed(p: ParserState, sign: Item, operand: DurationValue): DurationValue {
  if (operand.type === 'NumberLiteral') {
    if (sign.type === 'SUB') operand.val = -operand.val;
    const nl = checkedLiteral(p, operand, sign);
    if (nl === operand) nl.posRange = { start: sign.pos, end: nl.posRange.end };
    return nl;
  }
  if (sign.type === 'ADD') return operand;
  return { type: 'DurationExpr', op: '-', lhs: null, rhs: operand, wrapped: false, startPos: sign.pos, endPos: 0 };
}

function parseDurationUnary(p: ParserState): DurationValue {
  if (p.curType() !== 'ADD' && p.curType() !== 'SUB') return parseDurationPrimary(p);
  const sign = p.take();
  return signed(p, sign, parseDurationExpr(p, powPrecedence));
}

function parseDurationPrimary(p: ParserState): DurationValue {
  switch (p.curType()) {
    case 'NUMBER':
    case 'DURATION':
      return checkedLiteral(p, numberDurationLiteral(p), null);
    case 'STEP':
    case 'RANGE': {
      const name = p.take();
      if (p.accept('LEFT_PAREN') === undefined) throw p.syntaxError();
      const rparen = p.accept('RIGHT_PAREN');
      if (rparen === undefined) throw p.syntaxError();
      const op = name.type === 'STEP' ? 'step' : 'range';
      return {
        type: 'DurationExpr',
        op,
        lhs: null,
        rhs: null,
        wrapped: false,
        startPos: name.pos,
        endPos: rparen.pos + 1,
      };
    }
    case 'MIN_OF':
    case 'MAX_OF': {
      const name = p.take();
      if (p.accept('LEFT_PAREN') === undefined) throw p.syntaxError();
      const lhs = parseDurationExpr(p, 1);
      if (p.accept('COMMA') === undefined) throw p.syntaxError();
      const rhs = parseDurationExpr(p, 1);
      const rparen = p.accept('RIGHT_PAREN');
      if (rparen === undefined) throw p.syntaxError();
      const op = name.type === 'MIN_OF' ? 'min_of' : 'max_of';
      return { type: 'DurationExpr', op, lhs, rhs, wrapped: false, startPos: name.pos, endPos: rparen.pos + 1 };
    }
    case 'LEFT_PAREN': {
      p.take();
      const inner = parseDurationExpr(p, 1);
      if (p.accept('RIGHT_PAREN') === undefined) throw p.syntaxError();
      experimental(p, inner);
      if (inner.type === 'DurationExpr') inner.wrapped = true;
      return inner;
    }
  }
  throw p.syntaxError();
}

/**
 * `offset_duration_expr`. A literal, a signed literal, `step()`, `range()`, `min_of(…)` or `max_of(…)`, each
 * optionally signed, ends the offset, so `foo offset 5m - 1` subtracts 1 from `foo offset 5m`; only a parenthesised
 * expression or a general one (`--5m`) continues with operators.
 */
export function parseOffsetDurationExpr(p: ParserState): DurationValue {
  switch (p.curType()) {
    case 'NUMBER':
    case 'DURATION':
      return checkedLiteral(p, numberDurationLiteral(p), null);
    case 'STEP':
    case 'RANGE':
    case 'MIN_OF':
    case 'MAX_OF':
      return parseDurationPrimary(p);
    case 'ADD':
    case 'SUB':
      break;
    default:
      return parseDurationExpr(p, 1);
  }
  const sign = p.take();
  switch (p.curType()) {
    case 'NUMBER':
    case 'DURATION':
      return signed(p, sign, numberDurationLiteral(p));
    case 'STEP':
    case 'RANGE':
    case 'MIN_OF':
    case 'MAX_OF': {
      const rhs = parseDurationPrimary(p);
      const op = sign.type === 'SUB' ? '-' : '+';
      return { type: 'DurationExpr', op, lhs: null, rhs, wrapped: false, startPos: sign.pos, endPos: 0 };
    }
    case 'LEFT_PAREN': {
      p.take();
      const inner = parseDurationExpr(p, 1);
      if (p.accept('RIGHT_PAREN') === undefined) throw p.syntaxError();
      if (inner.type === 'DurationExpr') inner.wrapped = true;
      return signed(p, sign, inner);
    }
  }
  return parseDurationBinary(p, signed(p, sign, parseDurationExpr(p, powPrecedence)), 1);
}
