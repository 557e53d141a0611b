/** The arithmetic and comparison of two floats, with Go's semantics where JavaScript's differ. */
import type { BinaryOp } from '../parser/index.ts';

/** Go's math.Pow: unlike `**`, 1^NaN = 1, x^±0 = 1 and (-1)^±Inf = 1. */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === -1 && !Number.isFinite(y)) return 1;
  return x ** y;
}

/** Upstream's `scalarBinop` for arithmetic; comparisons give 1 or 0 (only reachable with `bool`). */
export function scalarBinop(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
    case '==':
      return l === r ? 1 : 0;
    case '!=':
      return l !== r ? 1 : 0;
    case '>':
      return l > r ? 1 : 0;
    case '<':
      return l < r ? 1 : 0;
    case '>=':
      return l >= r ? 1 : 0;
    case '<=':
      return l <= r ? 1 : 0;
    default:
      return Number.NaN;
  }
}

/** Whether `op` compares (filters) rather than computes. */
export function isComparison(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** Whether a comparison holds; always true for arithmetic (upstream's `vectorElemBinop` keep flag). */
export function keeps(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      return true;
  }
}

/** The value upstream's `vectorElemBinop` gives: the left value for comparisons, the result otherwise. */
export function elemValue(op: BinaryOp, l: number, r: number): number {
  return isComparison(op) ? l : scalarBinop(op, l, r);
}
