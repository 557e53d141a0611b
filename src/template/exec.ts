/**
 * Execution of parse trees: walks the nodes with `.` (dot) and variables in scope, awaiting values that functions
 * return as promises, and collects the output. Errors become exec TemplateErrors naming the template, the
 * position and the node (`template: NAME:LINE:COL: executing "NAME" at <NODE>: …`).
 */
import type { ListNode, Node, PipeNode, Tree } from './ast.ts';
import { nodeString } from './ast.ts';
import { evalPipeline } from './eval.ts';
import { type ExecContext, LoopSignal, maxTemplateDepth, State, type Variable } from './exec-state.ts';
import { formatV, goTypeName, isMapLike, isTrue, mapGet, mapKeys } from './value.ts';

export type { ExecContext, TemplateFunc } from './exec-state.ts';

/** Executes `tree` with `.` = dot; resolves to the output, rejects with an exec TemplateError. */
export async function executeTree(ctx: ExecContext, tree: Tree, dot: unknown): Promise<string> {
  const s = new State(ctx, tree, dot, 0);
  try {
    await walkList(s, dot, tree.root);
  } catch (err) {
    if (err instanceof LoopSignal) throw new Error('unreachable: {{break}} outside {{range}}');
    throw err;
  }
  return s.out.join('');
}

async function walkList(s: State, dot: unknown, list: ListNode): Promise<void> {
  for (const n of list.nodes) await walk(s, dot, n);
}

async function walk(s: State, dot: unknown, node: Node): Promise<void> {
  switch (node.kind) {
    case 'text':
      s.out.push(node.text);
      return;
    case 'action': {
      const v = await evalPipeline(s, dot, node.pipe);
      if (node.pipe.decl.length === 0) s.out.push(printable(s, node.pipe, v));
      return;
    }
    case 'if':
    case 'with': {
      const mark = s.vars.length;
      const v = await evalPipeline(s, dot, node.pipe);
      if (isTrue(v)) await walkList(s, node.kind === 'with' ? v : dot, node.list);
      else if (node.elseList !== undefined) await walkList(s, dot, node.elseList);
      s.vars.length = mark;
      return;
    }
    case 'range':
      return walkRange(s, dot, node.pipe, node.list, node.elseList);
    case 'template': {
      const tree = s.ctx.lookup(node.name);
      if (tree === undefined)
        s.fail(
          node,
          `template: no template ${JSON.stringify(node.name)} associated with template ${JSON.stringify(s.tree.name)}`,
        );
      if (s.depth + 1 >= maxTemplateDepth) s.fail(node, `exceeded maximum template depth (${maxTemplateDepth})`);
      const newDot = node.pipe === undefined ? undefined : await evalPipeline(s, dot, node.pipe);
      const inner = new State(s.ctx, tree, newDot, s.depth + 1, s.out);
      try {
        await walkList(inner, newDot, tree.root);
      } catch (err) {
        if (err instanceof LoopSignal) s.fail(node, `{{${err.kind}}} outside {{range}}`);
        throw err;
      }
      return;
    }
    case 'break':
    case 'continue':
      throw new LoopSignal(node.kind);
  }
}

async function walkRange(s: State, dot: unknown, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
  const outer = s.vars.length;
  const v = await evalPipeline(s, dot, pipe);
  const mark = s.vars.length;
  const one = async (index: unknown, elem: unknown): Promise<boolean> => {
    if (pipe.decl.length > 0) {
      if (pipe.isAssign) {
        if (pipe.decl.length > 1) {
          s.setVar(pipe.decl[0] as string, index);
          s.setVar(pipe.decl[1] as string, elem);
        } else s.setVar(pipe.decl[0] as string, elem);
      } else {
        (s.vars[mark - 1] as Variable).value = elem;
        if (pipe.decl.length > 1) (s.vars[mark - 2] as Variable).value = index;
      }
    }
    try {
      await walkList(s, elem, list);
    } catch (err) {
      if (!(err instanceof LoopSignal)) throw err;
      if (err.kind === 'break') return false;
    } finally {
      s.vars.length = mark;
    }
    return true;
  };
  let any = false;
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) {
      any = true;
      if (!(await one(BigInt(k), v[k]))) break;
    }
  } else if (v !== undefined && v !== null && isMapLike(v)) {
    for (const key of mapKeys(v)) {
      any = true;
      if (!(await one(key, mapGet(v, key)))) break;
    }
  } else if (typeof v === 'bigint') {
    for (let k = 0n; k < v; k++) {
      any = true;
      if (!(await one(k, k))) break;
    }
  } else if (v !== undefined && v !== null) {
    s.fail(pipe.cmds[0] ?? pipe, `range can't iterate over ${formatV(v)}`);
  }
  if (!any && elseList !== undefined) await walkList(s, dot, elseList);
  s.vars.length = outer;
}

/** The text an action prints for a value (fmt's %v; functions cannot be printed). */
function printable(s: State, pipe: PipeNode, v: unknown): string {
  if (typeof v === 'function') s.fail(pipe.cmds[0] ?? pipe, `can't print ${nodeString(pipe)} of type ${goTypeName(v)}`);
  return formatV(v);
}
