/**
 * The modifiers of binary operators (`bool`, `on`/`ignoring`, `group_left`/`group_right`, `fill`, `fill_left`,
 * `fill_right`) and the construction of binary expressions.
 */
import { type BinaryExpr, type BinaryOp, type Expr, positionRange, type VectorMatching } from './ast.ts';
import { numberDurationLiteral } from './parser-durations.ts';
import { parseGroupingLabels, parseMaybeGroupingLabels } from './parser-selectors.ts';
import type { ParserState } from './parser-state.ts';
import { type Item, type ItemType, itemTypeText } from './token.ts';

/** The modifiers between a binary operator and its right operand. */
export interface BinaryModifiers {
  readonly returnBool: boolean;
  readonly vm: VectorMatching;
}

/** `bin_modifier`: `bool`, `on(…)`/`ignoring(…)`, `group_left(…)`/`group_right(…)`, `fill…(v)`, in that order. */
export function parseBinModifiers(p: ParserState): BinaryModifiers {
  const vm: VectorMatching = {
    card: 'one-to-one',
    matchingLabels: [],
    on: false,
    include: [],
    fillValues: { lhs: null, rhs: null },
  };
  const returnBool = p.accept('BOOL') !== undefined;
  if (p.curType() === 'ON' || p.curType() === 'IGNORING') {
    vm.on = p.take().type === 'ON';
    vm.matchingLabels = parseGroupingLabels(p);
    if (p.curType() === 'GROUP_LEFT' || p.curType() === 'GROUP_RIGHT') {
      vm.card = p.take().type === 'GROUP_LEFT' ? 'many-to-one' : 'one-to-many';
      vm.include = parseMaybeGroupingLabels(p);
    }
  }
  const fill = (): ItemType | undefined =>
    (p.curType() === 'FILL' || p.curType() === 'FILL_LEFT' || p.curType() === 'FILL_RIGHT') &&
    p.peekType() === 'LEFT_PAREN'
      ? p.curType()
      : undefined;
  const first = fill();
  if (first !== undefined) {
    p.take();
    const v = parseFillValue(p);
    if (first !== 'FILL_RIGHT') vm.fillValues.lhs = v;
    if (first !== 'FILL_LEFT') vm.fillValues.rhs = v;
    const second = first === 'FILL' ? undefined : fill();
    if (second !== undefined && second !== 'FILL' && second !== first) {
      p.take();
      if (second === 'FILL_LEFT') vm.fillValues.lhs = parseFillValue(p);
      else vm.fillValues.rhs = parseFillValue(p);
    }
  }
  return { returnBool, vm };
}

/** `fill_value`: `(` an optionally signed number or duration `)`. */
function parseFillValue(p: ParserState): number {
  p.take();
  let sign = 1;
  if (p.curType() === 'ADD' || p.curType() === 'SUB') sign = p.take().type === 'SUB' ? -1 : 1;
  if (p.curType() !== 'NUMBER' && p.curType() !== 'DURATION') throw p.syntaxError();
  const v = sign * numberDurationLiteral(p).val;
  if (p.accept('RIGHT_PAREN') === undefined) throw p.syntaxError();
  return v;
}

/** A binary expression; fill modifiers are reported when their feature gate is off. */
export function newBinaryExpr(
  p: ParserState,
  lhs: Expr,
  opItem: Item,
  modifiers: BinaryModifiers,
  rhs: Expr,
): BinaryExpr {
  const expr: BinaryExpr = {
    type: 'BinaryExpr',
    op: itemTypeText[opItem.type] as BinaryOp,
    lhs,
    rhs,
    vectorMatching: modifiers.vm,
    returnBool: modifiers.returnBool,
  };
  const { fillValues } = modifiers.vm;
  if (!p.options.enableBinopFillModifiers && (fillValues.lhs !== null || fillValues.rhs !== null)) {
    p.addError(positionRange(expr), 'binop fill modifiers are experimental and not enabled');
  }
  return expr;
}
