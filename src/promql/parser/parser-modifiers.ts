/**
 * What can follow an expression: a range `[5m]` or subquery `[5m:1m]`, `offset`, `@`, `anchored`, `smoothed`.
 * These bind tighter than every operator, so they apply to the operand just parsed.
 */
import {
  type DurationExpr,
  type Expr,
  type MatrixSelector,
  mergeRanges,
  positionRange,
  type SubqueryExpr,
  type VectorSelector,
} from './ast.ts';
import { secondsToMs } from './duration.ts';
import { formatFloatFixed6, goRound } from './go-numbers.ts';
import {
  canStartDuration,
  type DurationValue,
  numberDurationLiteral,
  parseOffsetDurationExpr,
  parsePositiveDurationExpr,
} from './parser-durations.ts';
import type { ErrorContext, ParserState } from './parser-state.ts';

const rangeStart: ErrorContext = {
  context: 'subquery or range selector',
  expected: 'number, duration, step(), or range()',
};
const rangeEnd: ErrorContext = { context: 'subquery or range', expected: '":" or "]"' };
const stepStart: ErrorContext = {
  context: 'subquery selector',
  expected: 'number, duration, step(), range(), or "]"',
};
const stepEnd: ErrorContext = { context: 'subquery selector', expected: '"]"' };
const offsetContext: ErrorContext = { context: 'offset', expected: 'number, duration, step(), or range()' };
const atContext: ErrorContext = { context: '@', expected: 'timestamp' };

/** Applies every modifier that follows `e`, in order. */
export function parsePostfix(p: ParserState, e: Expr): Expr {
  let out = e;
  for (;;) {
    switch (p.curType()) {
      case 'LEFT_BRACKET':
        out = parseRangeOrSubquery(p, out);
        break;
      case 'OFFSET':
        p.take();
        p.within(offsetContext, () => {
          if (!canStartDuration(p.curType())) throw p.syntaxError(offsetContext);
          setOffset(p, out, parseOffsetDurationExpr(p));
        });
        break;
      case 'AT':
        p.take();
        p.within(atContext, () => parseAt(p, out));
        break;
      case 'ANCHORED':
      case 'SMOOTHED':
        setExtended(p, out, p.take().type === 'ANCHORED' ? 'anchored' : 'smoothed');
        break;
      default:
        return out;
    }
  }
}

const splitDuration = (d: DurationValue) =>
  d.type === 'NumberLiteral' ? { ms: secondsToMs(d.val), expr: null } : { ms: 0, expr: d };

function parseRangeOrSubquery(p: ParserState, e: Expr): Expr {
  const lbracket = p.take();
  if (!canStartDuration(p.curType())) throw p.syntaxError(rangeStart);
  const range = splitDuration(p.within(rangeStart, () => parsePositiveDurationExpr(p)));
  if (p.accept('COLON') !== undefined) {
    let step = { ms: 0, expr: null as DurationExpr | null };
    if (p.curType() !== 'RIGHT_BRACKET') {
      if (!canStartDuration(p.curType())) throw p.syntaxError(stepStart);
      step = splitDuration(p.within(stepStart, () => parsePositiveDurationExpr(p)));
    }
    const rbracket = p.accept('RIGHT_BRACKET');
    if (rbracket === undefined) throw p.syntaxError(stepEnd);
    const sq: SubqueryExpr = {
      type: 'SubqueryExpr',
      expr: e,
      rangeMs: range.ms,
      rangeExpr: range.expr,
      stepMs: step.ms,
      stepExpr: step.expr,
      originalOffsetMs: 0,
      originalOffsetExpr: null,
      timestampMs: null,
      startOrEnd: null,
      endPos: rbracket.pos + 1,
    };
    return sq;
  }
  const rbracket = p.accept('RIGHT_BRACKET');
  if (rbracket === undefined) throw p.syntaxError(rangeEnd);
  let problem = '';
  if (e.type !== 'VectorSelector') problem = 'ranges only allowed for vector selectors';
  else if (e.originalOffsetMs !== 0) problem = 'no offset modifiers allowed before range';
  else if (e.timestampMs !== null) problem = 'no @ modifiers allowed before range';
  if (problem !== '') p.addError(mergeRanges(p.itemRange(lbracket), p.itemRange(rbracket)), problem);
  const ms: MatrixSelector = {
    type: 'MatrixSelector',
    vectorSelector: e,
    rangeMs: range.ms,
    rangeExpr: range.expr,
    endPos: p.lastClosing,
  };
  return ms;
}

/** The node an `offset` or `@` applies to, and how to move its end; undefined after reporting why there is none. */
function modifierTarget(
  p: ParserState,
  e: Expr,
  what: string,
): { node: VectorSelector | SubqueryExpr; setEnd: (pos: number) => void } | undefined {
  switch (e.type) {
    case 'VectorSelector':
      return { node: e, setEnd: (pos) => (e.posRange = { start: e.posRange.start, end: pos }) };
    case 'MatrixSelector':
      if (e.vectorSelector.type !== 'VectorSelector') {
        p.addError(positionRange(e), 'ranges only allowed for vector selectors');
        return undefined;
      }
      return { node: e.vectorSelector, setEnd: (pos) => (e.endPos = pos) };
    case 'SubqueryExpr':
      return { node: e, setEnd: (pos) => (e.endPos = pos) };
  }
  p.addError(
    positionRange(e),
    `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
  );
  return undefined;
}

function setOffset(p: ParserState, e: Expr, d: DurationValue): void {
  const target = modifierTarget(p, e, 'offset');
  if (target === undefined) return;
  const { node } = target;
  if (node.originalOffsetMs !== 0 || node.originalOffsetExpr !== null) {
    p.addError(positionRange(e), 'offset may not be set multiple times');
  } else if (d.type === 'NumberLiteral') {
    node.originalOffsetMs = secondsToMs(d.val);
  } else {
    node.originalOffsetExpr = d;
  }
  target.setEnd(p.lastClosing);
}

/** `@ <timestamp>`, `@ start()`, `@ end()`. */
function parseAt(p: ParserState, e: Expr): void {
  if (p.curType() === 'START' || p.curType() === 'END') {
    const which = p.take().type === 'START' ? 'start' : 'end';
    if (p.accept('LEFT_PAREN') === undefined || p.accept('RIGHT_PAREN') === undefined) throw p.syntaxError();
    const target = atTarget(p, e);
    if (target === undefined) return;
    target.node.startOrEnd = which;
    target.setEnd(p.lastClosing);
    return;
  }
  let sign = 1;
  if (p.curType() === 'ADD' || p.curType() === 'SUB') sign = p.take().type === 'SUB' ? -1 : 1;
  if (p.curType() !== 'NUMBER' && p.curType() !== 'DURATION') throw p.syntaxError();
  const ts = sign * numberDurationLiteral(p).val;
  if (!Number.isFinite(ts) || ts >= 2 ** 63 || ts <= -(2 ** 63)) {
    p.addError(positionRange(e), `timestamp out of bounds for @ modifier: ${formatFloatFixed6(ts)}`);
  }
  const target = atTarget(p, e);
  if (target === undefined) return;
  target.node.timestampMs = goRound(ts * 1000);
  target.setEnd(p.lastClosing);
}

function atTarget(p: ParserState, e: Expr) {
  const target = modifierTarget(p, e, '@');
  if (target === undefined) return undefined;
  if (target.node.timestampMs !== null || target.node.startOrEnd !== null) {
    p.addError(positionRange(e), '@ <timestamp> may not be set multiple times');
    return undefined;
  }
  return target;
}

function setExtended(p: ParserState, e: Expr, which: 'anchored' | 'smoothed'): void {
  if (!p.options.enableExtendedRangeSelectors) {
    p.addError(positionRange(e), `${which} modifier is experimental and not enabled`);
    return;
  }
  const other = which === 'anchored' ? 'smoothed' : 'anchored';
  let vs: VectorSelector | undefined;
  if (e.type === 'VectorSelector') vs = e;
  else if (e.type === 'MatrixSelector' && e.vectorSelector.type === 'VectorSelector') vs = e.vectorSelector;
  if (vs !== undefined) {
    vs[which] = true;
    if (vs[other]) p.addError(positionRange(e), 'anchored and smoothed modifiers cannot be used together');
    return;
  }
  if (e.type === 'SubqueryExpr') p.addError(positionRange(e), `${which} modifier is not supported for subqueries`);
  else p.addError(positionRange(e), `${which} modifier not implemented`);
}
