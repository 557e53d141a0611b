/**
 * Prints a syntax tree back as canonical PromQL, as upstream's `String()` methods do: operators spaced, modifiers
 * in a fixed order (`[range] anchored @ ts offset d`), label matchers sorted, strings quoted Go-style, durations in
 * the largest units, numbers in their shortest form. Parsing the output gives an equivalent tree.
 */
import { compareStrings, type Matcher, metricNameLabel } from '../../model/index.ts';
import type {
  AggregateExpr,
  AtPreprocessor,
  BinaryExpr,
  DurationExpr,
  Expr,
  MatrixSelector,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { formatDuration } from './duration.ts';
import { formatFloatF, formatFloatV } from './go-numbers.ts';
import { goQuote } from './go-strings.ts';

const legacyName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label name as PromQL writes it: bare when it is a classic name, quoted otherwise (UTF-8 names). */
export function formatLabelName(name: string): string {
  return legacyName.test(name) ? name : goQuote(name);
}

/** `name="value"`, `name=~"re"`, … as upstream's `Matcher.String()`. */
export function formatMatcher(m: Matcher): string {
  return `${formatLabelName(m.name)}${m.type}${goQuote(m.value)}`;
}

const labelList = (names: readonly string[]) => names.map(formatLabelName).join(', ');

function formatSignedDuration(ms: number): string {
  return ms < 0 ? `-${formatDuration(-ms)}` : formatDuration(ms);
}

function atSuffix(timestampMs: number | null, startOrEnd: AtPreprocessor | null): string {
  if (timestampMs !== null) return ` @ ${(timestampMs / 1000).toFixed(3)}`;
  return startOrEnd === null ? '' : ` @ ${startOrEnd}()`;
}

function offsetSuffix(offsetMs: number, offsetExpr: DurationExpr | null): string {
  if (offsetExpr !== null) return ` offset ${exprToString(offsetExpr)}`;
  if (offsetMs === 0) return '';
  return ` offset ${formatSignedDuration(offsetMs)}`;
}

function vectorSelectorToString(vs: VectorSelector, withModifiers: boolean): string {
  const matchers = vs.labelMatchers
    .filter((m) => !(m.name === metricNameLabel && m.type === '=' && m.value === vs.name && m.value !== ''))
    .map(formatMatcher)
    .sort(compareStrings);
  let out = matchers.length > 0 ? `${vs.name}{${matchers.join(',')}}` : vs.name;
  if (!withModifiers) return out;
  out += atSuffix(vs.timestampMs, vs.startOrEnd);
  if (vs.anchored) out += ' anchored';
  else if (vs.smoothed) out += ' smoothed';
  return out + offsetSuffix(vs.originalOffsetMs, vs.originalOffsetExpr);
}

function matrixSelectorToString(ms: MatrixSelector): string {
  const vs = ms.vectorSelector;
  if (vs.type !== 'VectorSelector') return `${exprToString(vs)}[${rangeText(ms.rangeMs, ms.rangeExpr)}]`;
  const extended = vs.anchored ? ' anchored' : vs.smoothed ? ' smoothed' : '';
  const at = atSuffix(vs.timestampMs, vs.startOrEnd);
  const offset = offsetSuffix(vs.originalOffsetMs, vs.originalOffsetExpr);
  return `${vectorSelectorToString(vs, false)}[${rangeText(ms.rangeMs, ms.rangeExpr)}]${extended}${at}${offset}`;
}

function rangeText(ms: number, expr: DurationExpr | null): string {
  return expr === null ? formatDuration(ms) : exprToString(expr);
}

/** The `[range:step] @ t offset d` suffix of a subquery. */
export function subquerySuffix(sq: SubqueryExpr): string {
  const step = sq.stepMs !== 0 ? formatDuration(sq.stepMs) : sq.stepExpr !== null ? exprToString(sq.stepExpr) : '';
  const at = atSuffix(sq.timestampMs, sq.startOrEnd);
  return `[${rangeText(sq.rangeMs, sq.rangeExpr)}:${step}]${at}${offsetSuffix(sq.originalOffsetMs, sq.originalOffsetExpr)}`;
}

/** The operator and grouping of an aggregation, like `sum by (job) ` (note the trailing space) or `sum`. */
export function aggregateOpText(a: AggregateExpr): string {
  if (a.without) return `${a.op} without (${labelList(a.grouping)}) `;
  if (a.grouping.length > 0) return `${a.op} by (${labelList(a.grouping)}) `;
  return a.op;
}

/** The modifiers of a binary operator, like ` on (a) group_left (b) fill (0)`. */
export function matchingText(vm: VectorMatching | null): string {
  if (vm === null) return '';
  let out = '';
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  if (vm.matchingLabels.length > 0 || vm.on || grouped) {
    out += ` ${vm.on ? 'on' : 'ignoring'} (${labelList(vm.matchingLabels)})`;
  }
  if (grouped) out += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${labelList(vm.include)})`;
  const { lhs, rhs } = vm.fillValues;
  const same = lhs !== null && rhs !== null && (lhs === rhs || (Number.isNaN(lhs) && Number.isNaN(rhs)));
  if (same) out += ` fill (${formatFloatV(lhs)})`;
  else {
    if (lhs !== null) out += ` fill_left (${formatFloatV(lhs)})`;
    if (rhs !== null) out += ` fill_right (${formatFloatV(rhs)})`;
  }
  return out;
}

/** The operator of a binary expression with its modifiers, like `== bool on (a)`. */
export function binaryOpText(b: BinaryExpr): string {
  return `${b.op}${b.returnBool ? ' bool' : ''}${matchingText(b.vectorMatching)}`;
}

function durationExprToString(d: DurationExpr): string {
  let s: string;
  const side = (e: Expr | null) => (e === null ? '' : exprToString(e));
  switch (d.op) {
    case 'step':
    case 'range':
      s = `${d.op}()`;
      break;
    case 'min_of':
    case 'max_of':
      s = `${d.op}(${side(d.lhs)}, ${side(d.rhs)})`;
      break;
    default:
      s = d.lhs === null ? `${d.op === '-' ? '-' : ''}${side(d.rhs)}` : `${side(d.lhs)} ${d.op} ${side(d.rhs)}`;
  }
  return d.wrapped ? `(${s})` : s;
}

/** Canonical PromQL for `e` (upstream's `Expr.String()`). */
export function exprToString(e: Expr): string {
  switch (e.type) {
    case 'AggregateExpr': {
      const param = e.param === null ? '' : `${exprToString(e.param)}, `;
      return `${aggregateOpText(e)}(${param}${exprToString(e.expr)})`;
    }
    case 'BinaryExpr': {
      // Iterates along left operands, so that long chains (`a or b or c …`) print in constant stack depth.
      const spine: BinaryExpr[] = [];
      let n: Expr = e;
      for (; n.type === 'BinaryExpr'; n = n.lhs) spine.push(n);
      let out = exprToString(n);
      for (let i = spine.length - 1; i >= 0; i--) {
        const b = spine[i] as BinaryExpr;
        out = `${out} ${binaryOpText(b)} ${exprToString(b.rhs)}`;
      }
      return out;
    }
    case 'Call':
      return `${e.func.name}(${e.args.map(exprToString).join(', ')})`;
    case 'DurationExpr':
      return durationExprToString(e);
    case 'MatrixSelector':
      return matrixSelectorToString(e);
    case 'NumberLiteral':
      if (!e.duration) return formatFloatF(e.val);
      return formatSignedDuration(Math.trunc(Math.trunc(e.val * 1e9) / 1e6));
    case 'ParenExpr':
      return `(${exprToString(e.expr)})`;
    case 'StepInvariantExpr':
      return exprToString(e.expr);
    case 'StringLiteral':
      return goQuote(e.val);
    case 'SubqueryExpr':
      return `${exprToString(e.expr)}${subquerySuffix(e)}`;
    case 'UnaryExpr':
      return `${e.op}${exprToString(e.expr)}`;
    case 'VectorSelector':
      return vectorSelectorToString(e, true);
  }
}
