/**
 * The pretty-printer behind `/api/v1/format_query` (upstream's `prettier.go`): a node that prints within the line
 * limit stays on one line; a longer one is split, its children indented two spaces per level, binary operators on
 * a line of their own between their operands.
 */
import type { Expr } from './ast.ts';
import { aggregateOpText, binaryOpText, exprToString, subquerySuffix } from './printer.ts';

export interface PrettifyOptions {
  /** Lines longer than this many bytes are split. @default 100 */
  readonly maxCharactersPerLine?: number;
}

const indent = (level: number) => '  '.repeat(level);

/** Formats `e` over several lines where it is longer than the limit. The output parses to an equivalent tree. */
export function prettify(e: Expr, options: PrettifyOptions = {}): string {
  const limit = options.maxCharactersPerLine ?? 100;
  const needsSplit = (n: Expr) => Buffer.byteLength(exprToString(n), 'utf8') > limit;

  const pretty = (n: Expr, level: number): string => {
    const oneLine = () => indent(level) + exprToString(n);
    switch (n.type) {
      case 'AggregateExpr': {
        if (!needsSplit(n)) return oneLine();
        const param = n.param === null ? '' : `${pretty(n.param, level + 1)},\n`;
        return `${indent(level)}${aggregateOpText(n)}(\n${param}${pretty(n.expr, level + 1)}\n${indent(level)})`;
      }
      case 'BinaryExpr':
        if (!needsSplit(n)) return oneLine();
        return `${pretty(n.lhs, level + 1)}\n${indent(level)}${binaryOpText(n)}\n${pretty(n.rhs, level + 1)}`;
      case 'Call': {
        if (!needsSplit(n)) return oneLine();
        const args = n.args.map((a) => pretty(a, level + 1)).join(',\n');
        return `${indent(level)}${n.func.name}(\n${args}\n${indent(level)})`;
      }
      case 'ParenExpr':
        if (!needsSplit(n)) return oneLine();
        return `${indent(level)}(\n${pretty(n.expr, level + 1)}\n${indent(level)})`;
      case 'StepInvariantExpr':
        return pretty(n.expr, level);
      case 'SubqueryExpr':
        if (!needsSplit(n)) return exprToString(n);
        return `${pretty(n.expr, level)}${subquerySuffix(n)}`;
      case 'UnaryExpr':
        return `${indent(level)}${n.op}${pretty(n.expr, level).trim()}`;
      default:
        return oneLine();
    }
  };
  return pretty(e, 0);
}
