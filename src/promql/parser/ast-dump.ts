/**
 * A compact one-line dump of a syntax tree, for tests and debugging: every node with its fields and, optionally,
 * its position range, like `bin(+ num(1)@0:1 num(2)@4:5)`. Two trees that differ only in positions compare equal
 * when dumped with `positions: false`.
 */
import { compareStrings } from '../../model/index.ts';
import { type Expr, positionRange, type VectorMatching } from './ast.ts';
import { formatFloatF } from './go-numbers.ts';
import { goQuote } from './go-strings.ts';
import { formatMatcher } from './printer.ts';

export interface DumpOptions {
  /** Append `@start:end` to every node. @default true */
  readonly positions?: boolean;
}

function matching(vm: VectorMatching | null): string[] {
  if (vm === null) return [];
  const parts: string[] = [vm.card];
  if (vm.on || vm.matchingLabels.length > 0) parts.push(`${vm.on ? 'on' : 'ignoring'}(${vm.matchingLabels.join(',')})`);
  if (vm.include.length > 0) parts.push(`include(${vm.include.join(',')})`);
  if (vm.fillValues.lhs !== null) parts.push(`fill_left=${formatFloatF(vm.fillValues.lhs)}`);
  if (vm.fillValues.rhs !== null) parts.push(`fill_right=${formatFloatF(vm.fillValues.rhs)}`);
  return [`match(${parts.join(' ')})`];
}

/** Dumps `e` as one line. */
export function dumpExpr(e: Expr, options: DumpOptions = {}): string {
  const positions = options.positions ?? true;
  const d = (x: Expr | null): string => (x === null ? '_' : dumpExpr(x, options));
  const at = (x: Expr) => {
    const r = positionRange(x);
    return positions ? `@${r.start}:${r.end}` : '';
  };
  const node = (name: string, parts: Array<string | false>) =>
    `${name}(${parts.filter((s) => s !== false).join(' ')})${at(e)}`;
  const time = (offsetMs: number, offsetExpr: Expr | null, ts: number | null, se: string | null) => [
    offsetMs !== 0 && `offset=${offsetMs}`,
    offsetExpr !== null && `offset=${d(offsetExpr)}`,
    ts !== null && `at=${ts}`,
    se !== null && `at=${se}()`,
  ];
  switch (e.type) {
    case 'NumberLiteral':
      return `${e.duration ? 'dur' : 'num'}(${formatFloatF(e.val)})${at(e)}`;
    case 'StringLiteral':
      return `str(${goQuote(e.val)})${at(e)}`;
    case 'VectorSelector': {
      const matchers = e.labelMatchers.map(formatMatcher);
      if (!positions) matchers.sort(compareStrings);
      return node('vs', [
        e.name !== '' && e.name,
        `{${matchers.join(',')}}`,
        ...time(e.originalOffsetMs, e.originalOffsetExpr, e.timestampMs, e.startOrEnd),
        e.anchored && 'anchored',
        e.smoothed && 'smoothed',
        e.bypassEmptyMatcherCheck && 'bypass',
      ]);
    }
    case 'MatrixSelector':
      return node('matrix', [
        d(e.vectorSelector),
        e.rangeExpr === null ? `range=${e.rangeMs}` : `range=${d(e.rangeExpr)}`,
      ]);
    case 'SubqueryExpr':
      return node('subquery', [
        d(e.expr),
        e.rangeExpr === null ? `range=${e.rangeMs}` : `range=${d(e.rangeExpr)}`,
        e.stepMs !== 0 && `step=${e.stepMs}`,
        e.stepExpr !== null && `step=${d(e.stepExpr)}`,
        ...time(e.originalOffsetMs, e.originalOffsetExpr, e.timestampMs, e.startOrEnd),
      ]);
    case 'Call':
      return node('call', [e.func.name, ...e.args.map(d)]);
    case 'AggregateExpr':
      return node('agg', [
        e.op,
        e.without && `without(${e.grouping.join(',')})`,
        !e.without && e.grouping.length > 0 && `by(${e.grouping.join(',')})`,
        e.param !== null && `param=${d(e.param)}`,
        d(e.expr),
      ]);
    case 'BinaryExpr':
      return node('bin', [e.op, e.returnBool && 'bool', ...matching(e.vectorMatching), d(e.lhs), d(e.rhs)]);
    case 'UnaryExpr':
      return node('unary', [e.op, d(e.expr)]);
    case 'ParenExpr':
      return node('paren', [d(e.expr)]);
    case 'StepInvariantExpr':
      return node('stepinvariant', [d(e.expr)]);
    case 'DurationExpr':
      if (!positions && e.op === '+' && e.lhs === null && e.rhs !== null) return d(e.rhs);
      return node('dexpr', [e.op, e.lhs !== null && d(e.lhs), e.rhs !== null && d(e.rhs), e.wrapped && 'wrapped']);
  }
}
