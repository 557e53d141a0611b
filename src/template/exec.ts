/**
 * Execution of parse trees: walks the nodes with `.` (dot) and variables in scope, and collects the output.
 * Execution is synchronous while no function returns a promise; from the first one that does, the walk continues
 * asynchronously, awaiting it (see eval.ts). Errors become exec TemplateErrors naming the template, the position
 * and the node (`template: NAME:LINE:COL: executing "NAME" at <NODE>: …`).
 */
import type { ActionNode, BranchNode, ListNode, Node, PipeNode, TemplateCallNode, Tree } from './ast.ts';
import { nodeString } from './ast.ts';
import { evalPipeline } from './eval.ts';
import {
  type ExecContext,
  isThenable,
  LoopSignal,
  type MaybePromise,
  maxTemplateDepth,
  State,
  type Variable,
} from './exec-state.ts';
import { formatV, goTypeName, isMapLike, isTrue, mapGet, mapKeys } from './value.ts';

export type { ExecContext, MaybePromise, TemplateFunc } from './exec-state.ts';

/**
 * Executes `tree` with `.` = dot: the output, or a promise of it when a function returned a promise. Throws (or
 * rejects) with an exec TemplateError.
 */
export function executeTree(ctx: ExecContext, tree: Tree, dot: unknown): MaybePromise<string> {
  const s = new State(ctx, tree, dot, 0);
  let pending: Promise<void> | undefined;
  try {
    pending = walkList(s, dot, tree.root);
  } catch (err) {
    throw stray(err);
  }
  if (pending === undefined) return s.out;
  return pending.then(
    () => s.out,
    (err: unknown) => {
      throw stray(err);
    },
  );
}

function stray(err: unknown): unknown {
  return err instanceof LoopSignal ? new Error('unreachable: {{break}} outside {{range}}') : err;
}

/** Walks `list`; undefined when done, or a promise when a node went asynchronous. */
function walkList(s: State, dot: unknown, list: ListNode): Promise<void> | undefined {
  const nodes = list.nodes;
  for (let k = 0; k < nodes.length; k++) {
    const pending = walk(s, dot, nodes[k] as Node);
    if (pending !== undefined) return walkListAsync(s, dot, nodes, k, pending);
  }
  return undefined;
}

async function walkListAsync(s: State, dot: unknown, nodes: readonly Node[], k: number, pending: Promise<void>) {
  await pending;
  for (let j = k + 1; j < nodes.length; j++) {
    const p = walk(s, dot, nodes[j] as Node);
    if (p !== undefined) await p;
  }
}

function walk(s: State, dot: unknown, node: Node): Promise<void> | undefined {
  switch (node.kind) {
    case 'text':
      s.out += node.text;
      return undefined;
    case 'action': {
      const v = evalPipeline(s, dot, node.pipe);
      if (isThenable(v)) return actionAsync(s, node, v);
      if (node.pipe.decl.length === 0) s.out += printable(s, node.pipe, v);
      return undefined;
    }
    case 'if':
    case 'with': {
      const mark = s.vars.length;
      const v = evalPipeline(s, dot, node.pipe);
      if (isThenable(v)) return branchAsync(s, dot, node, mark, v);
      return branch(s, dot, node, mark, v);
    }
    case 'range': {
      const outer = s.vars.length;
      const v = evalPipeline(s, dot, node.pipe);
      if (isThenable(v)) return rangeAsync(s, dot, node, outer, v);
      return range(s, dot, node, outer, v);
    }
    case 'template': {
      const tree = s.ctx.lookup(node.name);
      if (tree === undefined)
        s.fail(
          node,
          `template: no template ${JSON.stringify(node.name)} associated with template ${JSON.stringify(s.tree.name)}`,
        );
      if (s.depth + 1 >= maxTemplateDepth) s.fail(node, `exceeded maximum template depth (${maxTemplateDepth})`);
      if (node.pipe === undefined) return include(s, node, tree, undefined);
      const newDot = evalPipeline(s, dot, node.pipe);
      if (isThenable(newDot)) return includeAsync(s, node, tree, newDot);
      return include(s, node, tree, newDot);
    }
    case 'break':
    case 'continue':
      throw new LoopSignal(node.kind);
  }
}

async function actionAsync(s: State, node: ActionNode, pending: PromiseLike<unknown>): Promise<void> {
  const v = await pending;
  if (node.pipe.decl.length === 0) s.out += printable(s, node.pipe, v);
}

function branch(s: State, dot: unknown, node: BranchNode, mark: number, v: unknown): Promise<void> | undefined {
  let pending: Promise<void> | undefined;
  if (isTrue(v)) pending = walkList(s, node.kind === 'with' ? v : dot, node.list);
  else if (node.elseList !== undefined) pending = walkList(s, dot, node.elseList);
  if (pending !== undefined) return truncateAfter(s, mark, pending);
  s.truncate(mark);
  return undefined;
}

async function branchAsync(s: State, dot: unknown, node: BranchNode, mark: number, pending: PromiseLike<unknown>) {
  const v = await pending;
  await branch(s, dot, node, mark, v);
}

/** Drops the variables declared since `mark` once `pending` fulfils (not when it rejects, as when synchronous). */
async function truncateAfter(s: State, mark: number, pending: Promise<void>): Promise<void> {
  await pending;
  s.truncate(mark);
}

/** `{{template}}`: runs `tree` with its own variables, appending to the caller's output. */
function include(s: State, node: TemplateCallNode, tree: Tree, newDot: unknown): Promise<void> | undefined {
  const inner = new State(s.ctx, tree, newDot, s.depth + 1);
  let pending: Promise<void> | undefined;
  try {
    pending = walkList(inner, newDot, tree.root);
  } catch (err) {
    return loopOutsideRange(s, node, err);
  }
  if (pending !== undefined) return includeRest(s, node, inner, pending);
  s.out += inner.out;
  return undefined;
}

async function includeAsync(s: State, node: TemplateCallNode, tree: Tree, pending: PromiseLike<unknown>) {
  const newDot = await pending;
  await include(s, node, tree, newDot);
}

async function includeRest(s: State, node: TemplateCallNode, inner: State, pending: Promise<void>): Promise<void> {
  try {
    await pending;
  } catch (err) {
    loopOutsideRange(s, node, err);
  }
  s.out += inner.out;
}

function loopOutsideRange(s: State, node: TemplateCallNode, err: unknown): never {
  if (err instanceof LoopSignal) s.fail(node, `{{${err.kind}}} outside {{range}}`);
  throw err;
}

/** What a range iterates: slice elements (int indexes), map entries in key order, or the ints below a count. */
class RangeSeq {
  readonly #list: readonly unknown[] | undefined;
  readonly #map: Parameters<typeof mapGet>[0] | undefined;
  readonly #count: bigint;

  constructor(list: readonly unknown[] | undefined, map: Parameters<typeof mapGet>[0] | undefined, count: bigint) {
    this.#list = list;
    this.#map = map;
    this.#count = count;
  }

  has(k: number): boolean {
    return this.#list !== undefined ? k < this.#list.length : k < this.#count;
  }

  index(k: number): unknown {
    if (this.#map !== undefined) return (this.#list as readonly unknown[])[k];
    return BigInt(k);
  }

  elem(k: number): unknown {
    if (this.#map !== undefined) return mapGet(this.#map, (this.#list as readonly unknown[])[k]);
    if (this.#list !== undefined) return this.#list[k];
    return BigInt(k);
  }
}

function rangeSeq(s: State, pipe: PipeNode, v: unknown): RangeSeq | undefined {
  if (Array.isArray(v)) return new RangeSeq(v, undefined, 0n);
  if (v !== undefined && v !== null && isMapLike(v)) return new RangeSeq(mapKeys(v), v, 0n);
  if (typeof v === 'bigint') return new RangeSeq(undefined, undefined, v);
  if (v !== undefined && v !== null) s.fail(pipe.cmds[0] ?? pipe, `range can't iterate over ${formatV(v)}`);
  return undefined;
}

async function rangeAsync(s: State, dot: unknown, node: BranchNode, outer: number, pending: PromiseLike<unknown>) {
  const v = await pending;
  await range(s, dot, node, outer, v);
}

function range(s: State, dot: unknown, node: BranchNode, outer: number, v: unknown): Promise<void> | undefined {
  const mark = s.vars.length;
  const seq = rangeSeq(s, node.pipe, v);
  if (seq === undefined || !seq.has(0)) {
    const pending = node.elseList === undefined ? undefined : walkList(s, dot, node.elseList);
    if (pending !== undefined) return truncateAfter(s, outer, pending);
    s.truncate(outer);
    return undefined;
  }
  for (let k = 0; seq.has(k); k++) {
    const more = rangeElem(s, node, mark, seq, k);
    if (more === false) break;
    if (more !== true) return truncateAfter(s, outer, rangeRest(s, node, mark, seq, k, more));
  }
  s.truncate(outer);
  return undefined;
}

async function rangeRest(
  s: State,
  node: BranchNode,
  mark: number,
  seq: RangeSeq,
  k: number,
  pending: Promise<boolean>,
) {
  if (!(await pending)) return;
  for (let j = k + 1; seq.has(j); j++) {
    const more = rangeElem(s, node, mark, seq, j);
    if (more === false || (more !== true && !(await more))) return;
  }
}

/** One iteration: whether to go on (false after `{{break}}`), or a promise of it. */
function rangeElem(s: State, node: BranchNode, mark: number, seq: RangeSeq, k: number): boolean | Promise<boolean> {
  const pipe = node.pipe;
  const elem = seq.elem(k);
  if (pipe.decl.length > 0) {
    if (pipe.isAssign) {
      if (pipe.decl.length > 1) {
        s.setVar(pipe.decl[0] as string, seq.index(k));
        s.setVar(pipe.decl[1] as string, elem);
      } else s.setVar(pipe.decl[0] as string, elem);
    } else {
      (s.vars[mark - 1] as Variable).value = elem;
      if (pipe.decl.length > 1) (s.vars[mark - 2] as Variable).value = seq.index(k);
    }
  }
  let pending: Promise<void> | undefined;
  try {
    pending = walkList(s, elem, node.list);
  } catch (err) {
    s.truncate(mark);
    return loopGoesOn(err);
  }
  if (pending !== undefined) return rangeElemRest(s, mark, pending);
  s.truncate(mark);
  return true;
}

async function rangeElemRest(s: State, mark: number, pending: Promise<void>): Promise<boolean> {
  try {
    await pending;
  } catch (err) {
    return loopGoesOn(err);
  } finally {
    s.truncate(mark);
  }
  return true;
}

function loopGoesOn(err: unknown): boolean {
  if (!(err instanceof LoopSignal)) throw err;
  return err.kind !== 'break';
}

/** The text an action prints for a value (fmt's %v; functions cannot be printed). */
function printable(s: State, pipe: PipeNode, v: unknown): string {
  if (typeof v === 'function') s.fail(pipe.cmds[0] ?? pipe, `can't print ${nodeString(pipe)} of type ${goTypeName(v)}`);
  return formatV(v);
}
