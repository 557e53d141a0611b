/** Template sets: named parse trees sharing one function map, like a Go `*template.Template` and its associates. */
import type { Tree } from './ast.ts';
import { builtins } from './builtins.ts';
import { TemplateError } from './errors.ts';
import { type ExecContext, executeTree, type MaybePromise, type TemplateFunc } from './exec.ts';
import { parseTemplate } from './parse.ts';

export type FuncMap = Readonly<Record<string, TemplateFunc>>;

/** How many distinct texts render keeps parsed per set (configured fields: a handful per receiver). */
const maxRendered = 512;

let run: (set: TemplateSet, name: string, data: unknown) => MaybePromise<string>;

/**
 * Executes template `name` of `set` like {@link TemplateSet.execute}, but returns the output itself unless a
 * function returned a promise. Throws or rejects with TemplateError (exec). For this module's own callers.
 */
export function executeTemplate(set: TemplateSet, name: string, data: unknown): MaybePromise<string> {
  return run(set, name, data);
}

/**
 * A set of named templates sharing a function map. Parsing adds templates (the text itself under its name, and
 * every `{{define}}`/`{{block}}` in it); a later definition replaces an earlier one of the same name unless its
 * body is only whitespace, as in Go. Trees are immutable once parsed, so clones share them. Execution never
 * changes the set; concurrent executions are independent.
 */
export class TemplateSet {
  readonly #funcs: Record<string, TemplateFunc>;
  readonly #trees: Map<string, Tree>;
  readonly #ctx: ExecContext;
  /** render's parsed clones by name and text; dropped whenever this set parses. */
  readonly #rendered = new Map<string, TemplateSet>();

  static {
    run = (set, name, data) => set.#run(name, data);
  }

  /** The predefined functions are always present; `funcs` adds to them or overrides them. */
  constructor(funcs: FuncMap = {}) {
    this.#funcs = { ...builtins, ...funcs };
    const trees = new Map<string, Tree>();
    this.#trees = trees;
    this.#ctx = { lookup: (n) => trees.get(n), funcs: this.#funcs };
  }

  /** Parses `text` as template `name`; `{{define "x"}}` blocks inside add templates to the set. Throws TemplateError (parse). Returns this. */
  parse(name: string, text: string): this {
    const result = parseTemplate(name, text, (f) => Object.hasOwn(this.#funcs, f));
    this.#rendered.clear();
    if (!result.mainIsEmpty || !this.#trees.has(name)) this.#trees.set(name, result.main);
    for (const t of result.defined) {
      const empty = t.root.nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
      if (!empty || !this.#trees.has(t.name)) this.#trees.set(t.name, t);
    }
    return this;
  }

  has(name: string): boolean {
    return this.#trees.has(name);
  }

  /** Names of the templates in the set, sorted. */
  names(): string[] {
    return [...this.#trees.keys()].sort();
  }

  /** A copy sharing parsed trees and functions, so callers can add templates without touching the original. */
  clone(): TemplateSet {
    const c = new TemplateSet(this.#funcs);
    for (const [k, v] of this.#trees) c.#trees.set(k, v);
    return c;
  }

  /** Executes template `name` with `.` = data. Rejects with TemplateError (exec). Functions may return promises (e.g. `query`), which are awaited. */
  async execute(name: string, data: unknown): Promise<string> {
    return this.#run(name, data);
  }

  #run(name: string, data: unknown): MaybePromise<string> {
    const tree = this.#trees.get(name);
    if (tree === undefined) {
      throw new TemplateError(
        'TEMPLATE_EXEC',
        name,
        0,
        0,
        `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(name)}`,
      );
    }
    return executeTree(this.#ctx, tree, data);
  }

  /**
   * Alertmanager's way of expanding one configured field (`title: '{{ template "slack.default.title" . }}'`):
   * parses `text` as template `name` in a clone of this set and executes it; `""` for an empty text. Rejects with
   * TemplateError (parse or exec).
   */
  async render(text: string, data: unknown, name = ''): Promise<string> {
    if (text === '') return '';
    const key = `${name}\u0000${text}`;
    let set = this.#rendered.get(key);
    if (set === undefined) {
      set = this.clone().parse(name, text);
      if (this.#rendered.size >= maxRendered) this.#rendered.clear();
      this.#rendered.set(key, set);
    }
    return set.#run(name, data);
  }
}

/** Parses and executes one text in a fresh set with `funcs`. Rejects with TemplateError (parse or exec). */
export async function expand(text: string, data: unknown, funcs?: FuncMap, name = 'expand'): Promise<string> {
  return new TemplateSet(funcs).parse(name, text).execute(name, data);
}

/** Whether `text` parses with `funcs`: undefined, or the parse TemplateError. */
export function checkTemplate(text: string, funcs: FuncMap, name = 'check'): TemplateError | undefined {
  try {
    new TemplateSet(funcs).parse(name, text);
    return undefined;
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
}
