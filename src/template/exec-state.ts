/** Execution state: the variables in scope, the output, and errors that name the failing node. */
import type { ArgNode, CommandNode, Node, Tree } from './ast.ts';
import { nodeString } from './ast.ts';
import { lineColumn, TemplateError } from './errors.ts';

/**
 * A template function; it may return a promise, which execution awaits (only then does execution continue
 * asynchronously). It throws (or rejects) to fail the execution.
 */
export type TemplateFunc = (...args: unknown[]) => unknown;

/** What execution needs from a template set. */
export interface ExecContext {
  lookup(name: string): Tree | undefined;
  readonly funcs: Readonly<Record<string, TemplateFunc>>;
}

/** Templates may call templates this deep (Go's limit is 100000; alert templates need far less). */
export const maxTemplateDepth = 1000;

/** The value before a pipeline's first command: nothing to pass on as a last argument. */
export const missing = Symbol('missing');
export type Final = unknown | typeof missing;

/** Thrown by `{{break}}`/`{{continue}}` up to the enclosing range. */
export class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

export interface Variable {
  readonly name: string;
  value: unknown;
}

/** A value or a promise of one: what execution steps return, settling synchronously while no function returns a promise. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `v` is something `await` would wait for: an object or function with a callable `then`. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    ((typeof v === 'object' && v !== null) || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/** One template's execution: its output so far and its variables (a stack; scopes truncate it back to a mark). */
export class State {
  out = '';
  readonly vars: Variable[];

  constructor(
    readonly ctx: ExecContext,
    readonly tree: Tree,
    dot: unknown,
    readonly depth: number,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  fail(node: { pos: number } & (ArgNode | CommandNode | Node), message: string, cause?: unknown): never {
    const { line, column } = lineColumn(this.tree.source.text, node.pos);
    const at = 'kind' in node && isArgOrCommand(node) ? ` at <${nodeString(node)}>` : '';
    const src = this.tree.source.name;
    throw new TemplateError(
      'TEMPLATE_EXEC',
      src,
      line,
      column,
      `template: ${src}:${line}:${column}: executing ${JSON.stringify(this.tree.name)}${at}: ${message}`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** Drops the variables declared after the first `mark`. */
  truncate(mark: number): void {
    if (this.vars.length !== mark) this.vars.length = mark;
  }

  varValue(name: string): unknown {
    for (let k = this.vars.length - 1; k >= 0; k--) {
      const v = this.vars[k] as Variable;
      if (v.name === name) return v.value;
    }
    return undefined;
  }

  setVar(name: string, value: unknown): void {
    for (let k = this.vars.length - 1; k >= 0; k--) {
      const v = this.vars[k] as Variable;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
  }
}

const argKinds = new Set(['field', 'variable', 'chain', 'identifier', 'dot', 'nil', 'literal', 'pipe', 'command']);
const isArgOrCommand = (n: { kind: string }): n is ArgNode | CommandNode => argKinds.has(n.kind);
