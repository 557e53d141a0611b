/** Walking a YAML document with positions: reports problems at nodes, maps text positions inside scalars. */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Scalar, Scalar as ScalarClass } from 'yaml';
import type { RuleIssue } from './errors.ts';

/** Where problems of one file go. */
export class IssueSink {
  readonly issues: RuleIssue[] = [];

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly lines: LineCounter,
  ) {}

  /** The 1-based line and column of a byte offset of the file text (a JavaScript string index). */
  pos(offset: number): { line: number; col: number } {
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  at(node: Node | null | undefined, message: string): void {
    const offset = node?.range?.[0];
    const p = offset === undefined ? { line: 0, col: 0 } : this.pos(offset);
    this.issues.push({ file: this.file, ...p, message });
  }

  /**
   * Reports at a position inside scalar `node`'s text: `line`/`column` are 1-based within its value. Exact for
   * single-line plain and quoted scalars and for block scalars; folded multi-line scalars map to their start.
   */
  inScalar(node: Scalar, line: number, column: number, message: string): void {
    const start = node.range?.[0] ?? 0;
    const p = this.pos(start);
    if (node.type === ScalarClass.BLOCK_LITERAL || node.type === ScalarClass.BLOCK_FOLDED) {
      const nextLine = this.text.indexOf('\n', start) + 1;
      let indent = 0;
      while (this.text[nextLine + indent] === ' ') indent++;
      this.issues.push({ file: this.file, line: p.line + line, col: indent + column, message });
      return;
    }
    const quoted = node.type === ScalarClass.QUOTE_DOUBLE || node.type === ScalarClass.QUOTE_SINGLE ? 1 : 0;
    if (line <= 1) this.issues.push({ file: this.file, line: p.line, col: p.col + quoted + column - 1, message });
    else this.issues.push({ file: this.file, line: p.line + line - 1, col: column, message });
  }
}

/** A scalar's text: strings as they are, numbers and booleans as written (`expr: 1` is "1"). */
export function scalarText(node: Node | null | undefined): string | undefined {
  if (node === null || node === undefined || !isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return node.source ?? String(v);
}

export function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : JSON.stringify(scalarText(node));
  return 'an alias';
}

/** The pairs of a mapping node with string keys, reporting keys not in `known`. Undefined when not a mapping. */
export function entries(
  node: Node | null | undefined,
  known: readonly string[],
  sink: IssueSink,
  what: string,
): Map<string, { key: Node; value: Node | null }> | undefined {
  if (!isMap(node)) {
    sink.at(node, `${what}: expected a mapping, got ${describe(node)}`);
    return undefined;
  }
  const out = new Map<string, { key: Node; value: Node | null }>();
  for (const pair of node.items) {
    const key = pair.key as Node;
    const name = scalarText(key) ?? '';
    if (!known.includes(name)) {
      sink.at(key, `${what}: unknown key ${JSON.stringify(name)} (expected one of ${known.join(', ')})`);
      continue;
    }
    out.set(name, { key, value: (pair.value as Node | null) ?? null });
  }
  return out;
}

/** A mapping of string keys to string values (labels, annotations), in file order; undefined on a problem. */
export function stringMap(
  node: Node | null | undefined,
  sink: IssueSink,
  what: string,
  check: (name: string, keyNode: Node, value: string, valueNode: Node) => boolean,
): [string, string][] | undefined {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) {
    sink.at(node, `${what}: expected a mapping, got ${describe(node)}`);
    return undefined;
  }
  const out: [string, string][] = [];
  let ok = true;
  for (const pair of node.items) {
    const key = pair.key as Node;
    const value = (pair.value as Node | null) ?? null;
    const name = scalarText(key);
    const text = value === null || (isScalar(value) && value.value === null) ? '' : scalarText(value);
    if (name === undefined) {
      sink.at(key, `${what}: expected a string key, got ${describe(key)}`);
      ok = false;
      continue;
    }
    if (text === undefined) {
      sink.at(value, `${what}: ${name}: expected a string, got ${describe(value)}`);
      ok = false;
      continue;
    }
    if (!check(name, key, text, value ?? key)) ok = false;
    out.push([name, text]);
  }
  return ok ? out : undefined;
}
