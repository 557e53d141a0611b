/**
 * Type checking of a parsed expression (upstream's `checkAST`): operand types of operators and functions, vector
 * matching rules, selectors that would match everything. Runs only on syntactically valid trees. It also settles
 * two things upstream settles here: set operators match many-to-many, and operators with a scalar operand have no
 * vector matching.
 */
import { metricNameLabel } from '../../model/index.ts';
import {
  type BinaryExpr,
  type Call,
  documentedType,
  type Expr,
  exprType,
  type PositionRange,
  positionRange,
  type ValueType,
} from './ast.ts';
import { goQuote } from './go-strings.ts';
import type { ParserState } from './parser-state.ts';

const comparisonOps: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);
const setOps: ReadonlySet<string> = new Set(['and', 'or', 'unless']);

/** Checks `node` and its subtree, recording problems on `p`; returns the node's type. */
export function checkAst(p: ParserState, node: Expr): ValueType {
  switch (node.type) {
    case 'AggregateExpr':
      expectType(p, node.expr, 'vector', 'aggregation expression');
      if (['topk', 'bottomk', 'quantile', 'limitk', 'limit_ratio'].includes(node.op) && node.param !== null) {
        expectType(p, node.param, 'scalar', 'aggregation parameter');
      }
      if (node.op === 'count_values' && node.param !== null)
        expectType(p, node.param, 'string', 'aggregation parameter');
      return 'vector';
    case 'BinaryExpr':
      return checkBinaryChain(p, node);
    case 'Call':
      checkCall(p, node);
      return node.func.returnType;
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return checkAst(p, node.expr);
    case 'UnaryExpr': {
      const t = checkAst(p, node.expr);
      if (t !== 'scalar' && t !== 'vector') {
        p.addError(
          positionRange(node),
          `unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(documentedType(t))}`,
        );
      }
      return t;
    }
    case 'SubqueryExpr': {
      const t = checkAst(p, node.expr);
      if (t !== 'vector')
        p.addError(positionRange(node), `subquery is only allowed on instant vector, got ${t} instead`);
      return 'matrix';
    }
    case 'MatrixSelector':
      checkAst(p, node.vectorSelector);
      return 'matrix';
    case 'VectorSelector':
      if (node.name !== '') {
        for (const m of node.labelMatchers.slice(0, -1)) {
          if (m.name === metricNameLabel) {
            p.addError(
              node.posRange,
              `metric name must not be set twice: ${goQuote(node.name)} or ${goQuote(m.value)}`,
            );
          }
        }
      } else if (!node.bypassEmptyMatcherCheck && node.labelMatchers.every((m) => m.matchesEmpty())) {
        p.addError(node.posRange, 'vector selector must contain at least one non-empty matcher');
      }
      return 'vector';
    default:
      return exprType(node);
  }
}

function expectType(p: ParserState, node: Expr, want: ValueType, context: string): void {
  const t = checkAst(p, node);
  if (t !== want) {
    p.addError(positionRange(node), `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
  }
}

/** The operator between the operands, without surrounding whitespace. */
function operatorRange(p: ParserState, node: BinaryExpr): PositionRange {
  const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
  let start = positionRange(node.lhs).end;
  while (isSpace(p.bytes[start])) start++;
  let end = positionRange(node.rhs).start - 1;
  while (isSpace(p.bytes[end])) end--;
  return { start, end };
}

/**
 * Checks a chain of binary expressions along their left operands without recursing down it, so that a query of
 * thousands of chained operators (`a + b + c …`) checks in constant stack depth; the order of problems is the
 * recursive order.
 */
function checkBinaryChain(p: ParserState, root: BinaryExpr): ValueType {
  const spine: BinaryExpr[] = [];
  let n: Expr = root;
  while (n.type === 'BinaryExpr') {
    spine.push(n);
    n = n.lhs;
  }
  let lt = checkAst(p, n);
  for (let i = spine.length - 1; i >= 0; i--) lt = checkBinary(p, spine[i] as BinaryExpr, lt);
  return lt;
}

function checkBinary(p: ParserState, node: BinaryExpr, lt: ValueType): ValueType {
  const rt = checkAst(p, node.rhs);
  const vm = node.vectorMatching;
  const isComparison = comparisonOps.has(node.op);
  const isSet = setOps.has(node.op);
  if (node.returnBool && !isComparison) {
    p.addError(operatorRange(p, node), 'bool modifier can only be used on comparison operators');
  }
  if (isComparison && !node.returnBool && rt === 'scalar' && lt === 'scalar') {
    p.addError(operatorRange(p, node), 'comparisons between scalars must use BOOL modifier');
  }
  if (isSet && vm !== null && vm.card === 'one-to-one') vm.card = 'many-to-many';
  if (vm?.on) {
    for (const l1 of vm.matchingLabels) {
      for (const l2 of vm.include) {
        if (l1 === l2) {
          p.addError(operatorRange(p, node), `label ${goQuote(l1)} must not occur in ON and GROUP clause at once`);
        }
      }
    }
  }
  const range = positionRange(node);
  if (lt !== 'scalar' && lt !== 'vector') {
    p.addError(positionRange(node.lhs), 'binary expression must contain only scalar and instant vector types');
  }
  if (rt !== 'scalar' && rt !== 'vector') {
    p.addError(positionRange(node.rhs), 'binary expression must contain only scalar and instant vector types');
  }
  const fills = vm !== null && (vm.fillValues.lhs !== null || vm.fillValues.rhs !== null);
  if ((lt !== 'vector' || rt !== 'vector') && vm !== null) {
    if (vm.matchingLabels.length > 0) p.addError(range, 'vector matching only allowed between instant vectors');
    if (fills) p.addError(range, 'filling in missing series only allowed between instant vectors');
    node.vectorMatching = null;
  } else if (isSet && vm !== null) {
    if (vm.card === 'one-to-many' || vm.card === 'many-to-one') {
      p.addError(range, `no grouping allowed for ${goQuote(node.op)} operation`);
    }
    if (vm.card !== 'many-to-many') p.addError(range, 'set operations must always be many-to-many');
    if (fills) p.addError(range, 'filling in missing series not allowed for set operators');
  }
  if ((lt === 'scalar' || rt === 'scalar') && isSet) {
    p.addError(range, `set operator ${goQuote(node.op)} not allowed in binary scalar expression`);
  }
  return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
}

function checkCall(p: ParserState, node: Call): void {
  const fn = node.func;
  const nargs = fn.argTypes.length;
  const range = positionRange(node);
  const name = goQuote(fn.name);
  if (fn.variadic === 0) {
    if (nargs !== node.args.length) {
      p.addError(range, `expected ${nargs} argument(s) in call to ${name}, got ${node.args.length}`);
    }
  } else {
    const min = nargs - 1;
    if (min > node.args.length) {
      p.addError(range, `expected at least ${min} argument(s) in call to ${name}, got ${node.args.length}`);
    } else if (fn.variadic > 0 && min + fn.variadic < node.args.length) {
      p.addError(
        range,
        `expected at most ${min + fn.variadic} argument(s) in call to ${name}, got ${node.args.length}`,
      );
    }
  }
  const second = node.args[1];
  if (fn.name === 'info' && second !== undefined) {
    if (exprType(second) !== 'vector') {
      p.addError(
        range,
        `expected type instant vector in call to function ${name}, got ${documentedType(exprType(second))}`,
      );
    }
    if (second.type === 'VectorSelector' && second.name !== '') {
      p.addError(second.posRange, 'expected label selectors only, got vector selector instead');
    } else if (second.type === 'VectorSelector') {
      second.bypassEmptyMatcherCheck = true;
    } else {
      p.addError(positionRange(second), 'expected label selectors only');
    }
  }
  for (const [i, arg] of node.args.entries()) {
    let want = fn.argTypes[i];
    if (want === undefined) {
      if (fn.variadic === 0) break;
      want = fn.argTypes[nargs - 1] as ValueType;
    }
    const t = checkAst(p, arg);
    if (t !== want) {
      p.addError(
        positionRange(arg),
        `expected type ${documentedType(want)} in call to function ${name}, got ${documentedType(t)}`,
      );
    }
  }
}
