/**
 * Evaluation of pipelines, commands and arguments: field chains (calling methods), variables, functions (with
 * `and`/`or` short-circuiting) and literals; values that functions return as promises are awaited.
 */
import type { ArgNode, ChainNode, CommandNode, FieldNode, PipeNode, VariableNode } from './ast.ts';
import { nodeString } from './ast.ts';
import { ArgumentError, TemplateError } from './errors.ts';
import { type Final, missing, type State, type TemplateFunc } from './exec-state.ts';
import { goTypeName, isMapLike, isTrue, lookupMember, mapGet } from './value.ts';

export async function evalPipeline(s: State, dot: unknown, pipe: PipeNode): Promise<unknown> {
  let value: Final = missing;
  for (const cmd of pipe.cmds) value = await evalCommand(s, dot, cmd, value);
  const v = value === missing ? undefined : value;
  for (const name of pipe.decl) {
    if (pipe.isAssign) s.setVar(name, v);
    else s.vars.push({ name, value: v });
  }
  return v;
}

function notAFunction(s: State, node: ArgNode, args: readonly ArgNode[], final: Final): void {
  if (args.length > 1 || final !== missing) s.fail(node, `can't give argument to non-function ${nodeString(node)}`);
}

async function evalCommand(s: State, dot: unknown, cmd: CommandNode, final: Final): Promise<unknown> {
  const first = cmd.args[0] as ArgNode;
  switch (first.kind) {
    case 'field':
      return evalFieldChain(s, dot, dot, first, first.idents, cmd.args, final);
    case 'chain':
      return evalChain(s, dot, first, cmd.args, final);
    case 'identifier':
      return evalFunction(s, dot, first.name, first, cmd.args, final);
    case 'pipe':
      notAFunction(s, first, cmd.args, final);
      return evalPipeline(s, dot, first);
    case 'variable':
      return evalVariable(s, dot, first, cmd.args, final);
    case 'nil':
      return s.fail(first, 'nil is not a command');
    case 'dot':
      notAFunction(s, first, cmd.args, final);
      return dot;
    case 'literal':
      notAFunction(s, first, cmd.args, final);
      return first.value;
  }
}

async function evalChain(s: State, dot: unknown, chain: ChainNode, args: readonly ArgNode[], final: Final) {
  if (chain.node.kind === 'nil') s.fail(chain, `indirection through explicit nil in ${nodeString(chain)}`);
  const receiver = await evalArg(s, dot, chain.node);
  return evalFieldChain(s, dot, receiver, chain, chain.fields, args, final);
}

async function evalVariable(s: State, dot: unknown, v: VariableNode, args: readonly ArgNode[], final: Final) {
  const value = s.varValue(v.idents[0] as string);
  if (v.idents.length === 1) {
    notAFunction(s, v, args, final);
    return value;
  }
  return evalFieldChain(s, dot, value, v, v.idents.slice(1), args, final);
}

async function evalFieldChain(
  s: State,
  dot: unknown,
  receiver: unknown,
  node: FieldNode | VariableNode | ChainNode,
  idents: readonly string[],
  args: readonly ArgNode[],
  final: Final,
): Promise<unknown> {
  let r = receiver;
  for (let k = 0; k < idents.length - 1; k++) r = await evalField(s, dot, idents[k] as string, node, [], missing, r);
  return evalField(s, dot, idents[idents.length - 1] as string, node, args, final, r);
}

async function evalField(
  s: State,
  dot: unknown,
  name: string,
  node: FieldNode | VariableNode | ChainNode,
  args: readonly ArgNode[],
  final: Final,
  receiver: unknown,
): Promise<unknown> {
  const hasArgs = args.length > 1 || final !== missing;
  if (receiver === undefined) return undefined;
  if (receiver === null) return s.fail(node, `nil pointer evaluating ${goTypeName(receiver)}.${name}`);
  if (typeof receiver !== 'object' && typeof receiver !== 'function') {
    return s.fail(node, `can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }
  const member = lookupMember(receiver, name);
  if (member.found && typeof member.value === 'function') {
    const fn = member.value as TemplateFunc;
    return call(s, dot, fn, name, node, args, final);
  }
  if (hasArgs) s.fail(node, `${name} has arguments but cannot be invoked as function`);
  if (member.found) return member.value;
  if (isMapLike(receiver)) return mapGet(receiver, name);
  // Slices and structs (class instances, dates) have no other fields.
  return s.fail(node, `can't evaluate field ${name} in type ${goTypeName(receiver)}`);
}

async function evalFunction(
  s: State,
  dot: unknown,
  name: string,
  node: ArgNode,
  args: readonly ArgNode[],
  final: Final,
) {
  if (name === 'and' || name === 'or') {
    const operands: (ArgNode | { value: unknown })[] = [...args.slice(1)];
    if (final !== missing) operands.push({ value: final });
    if (operands.length === 0) s.fail(node, `wrong number of args for ${name}: want at least 1 got 0`);
    let v: unknown;
    for (const o of operands) {
      v = 'kind' in o ? await evalArg(s, dot, o) : o.value;
      if (isTrue(v) === (name === 'or')) return v;
    }
    return v;
  }
  const fn = s.ctx.funcs[name];
  if (fn === undefined) return s.fail(node, `${JSON.stringify(name)} is not a defined function`);
  return call(s, dot, fn, name, node, args, final);
}

async function call(
  s: State,
  dot: unknown,
  fn: TemplateFunc,
  name: string,
  node: ArgNode,
  args: readonly ArgNode[],
  final: Final,
): Promise<unknown> {
  const argv: unknown[] = [];
  for (const a of args.slice(1)) argv.push(await evalArg(s, dot, a));
  if (final !== missing) argv.push(final);
  try {
    return await fn(...argv);
  } catch (err) {
    if (err instanceof TemplateError) throw err;
    if (err instanceof ArgumentError) return s.fail(node, err.message, err);
    const message = err instanceof Error ? err.message : String(err);
    return s.fail(node, `error calling ${name}: ${message}`, err);
  }
}

async function evalArg(s: State, dot: unknown, n: ArgNode): Promise<unknown> {
  switch (n.kind) {
    case 'dot':
      return dot;
    case 'nil':
      return null;
    case 'field':
      return evalFieldChain(s, dot, dot, n, n.idents, [], missing);
    case 'variable':
      return evalVariable(s, dot, n, [], missing);
    case 'pipe':
      return evalPipeline(s, dot, n);
    case 'identifier':
      return evalFunction(s, dot, n.name, n, [], missing);
    case 'chain':
      return evalChain(s, dot, n, [], missing);
    case 'literal':
      return n.value;
  }
}
