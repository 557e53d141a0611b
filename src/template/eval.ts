/**
 * Evaluation of pipelines, commands and arguments: field chains (calling methods), variables, functions (with
 * `and`/`or` short-circuiting) and literals. Evaluation is synchronous until a step yields a thenable (a function
 * returning a promise, or a promise in the data); from there that step continues asynchronously, awaiting it.
 * Every step's value is settled before use, exactly where an all-`await` executor would settle it.
 */
import type { ArgNode, ChainNode, CommandNode, FieldNode, PipeNode, VariableNode } from './ast.ts';
import { nodeString } from './ast.ts';
import { ArgumentError, TemplateError } from './errors.ts';
import { type Final, isThenable, type MaybePromise, missing, type State, type TemplateFunc } from './exec-state.ts';
import { goTypeName, isMapLike, isPlainObject, isTrue, lookupMember, mapGet } from './value.ts';

const noArgs: readonly ArgNode[] = [];

/** The pipeline's value (never a thenable once settled); declares or assigns its variables. */
export function evalPipeline(s: State, dot: unknown, pipe: PipeNode): MaybePromise<unknown> {
  let value: Final = missing;
  const cmds = pipe.cmds;
  for (let k = 0; k < cmds.length; k++) {
    const v = evalCommand(s, dot, cmds[k] as CommandNode, value);
    if (isThenable(v)) return pipelineAsync(s, dot, pipe, k, v);
    value = v;
  }
  return declare(s, pipe, value);
}

async function pipelineAsync(s: State, dot: unknown, pipe: PipeNode, k: number, pending: PromiseLike<unknown>) {
  let value: Final = await pending;
  for (let j = k + 1; j < pipe.cmds.length; j++) value = await evalCommand(s, dot, pipe.cmds[j] as CommandNode, value);
  return declare(s, pipe, value);
}

function declare(s: State, pipe: PipeNode, value: Final): unknown {
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

function evalCommand(s: State, dot: unknown, cmd: CommandNode, final: Final): MaybePromise<unknown> {
  const first = cmd.args[0] as ArgNode;
  switch (first.kind) {
    case 'field':
      return evalFieldChain(s, dot, dot, first, first.idents, 0, cmd.args, final);
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

function evalChain(s: State, dot: unknown, chain: ChainNode, args: readonly ArgNode[], final: Final) {
  if (chain.node.kind === 'nil') s.fail(chain, `indirection through explicit nil in ${nodeString(chain)}`);
  const receiver = evalArg(s, dot, chain.node);
  if (isThenable(receiver)) return chainAsync(s, dot, chain, args, final, receiver);
  return evalFieldChain(s, dot, receiver, chain, chain.fields, 0, args, final);
}

async function chainAsync(
  s: State,
  dot: unknown,
  chain: ChainNode,
  args: readonly ArgNode[],
  final: Final,
  pending: PromiseLike<unknown>,
) {
  return evalFieldChain(s, dot, await pending, chain, chain.fields, 0, args, final);
}

function evalVariable(s: State, dot: unknown, v: VariableNode, args: readonly ArgNode[], final: Final) {
  const value = s.varValue(v.idents[0] as string);
  if (v.idents.length === 1) {
    notAFunction(s, v, args, final);
    return value;
  }
  return evalFieldChain(s, dot, value, v, v.idents, 1, args, final);
}

/** `receiver.idents[from].….idents[last]`, the last one called with `args` and `final`. */
function evalFieldChain(
  s: State,
  dot: unknown,
  receiver: unknown,
  node: FieldNode | VariableNode | ChainNode,
  idents: readonly string[],
  from: number,
  args: readonly ArgNode[],
  final: Final,
): MaybePromise<unknown> {
  let r = receiver;
  const last = idents.length - 1;
  for (let k = from; k < last; k++) {
    r = evalField(s, dot, idents[k] as string, node, noArgs, missing, r);
    if (isThenable(r)) return fieldChainAsync(s, dot, r, node, idents, k + 1, args, final);
  }
  return evalField(s, dot, idents[last] as string, node, args, final, r);
}

async function fieldChainAsync(
  s: State,
  dot: unknown,
  pending: PromiseLike<unknown>,
  node: FieldNode | VariableNode | ChainNode,
  idents: readonly string[],
  from: number,
  args: readonly ArgNode[],
  final: Final,
): Promise<unknown> {
  let r = await pending;
  const last = idents.length - 1;
  for (let k = from; k < last; k++) r = await evalField(s, dot, idents[k] as string, node, noArgs, missing, r);
  return evalField(s, dot, idents[last] as string, node, args, final, r);
}

function evalField(
  s: State,
  dot: unknown,
  name: string,
  node: FieldNode | VariableNode | ChainNode,
  args: readonly ArgNode[],
  final: Final,
  receiver: unknown,
): MaybePromise<unknown> {
  const hasArgs = args.length > 1 || final !== missing;
  if (receiver === undefined) return undefined;
  if (receiver === null) return s.fail(node, `nil pointer evaluating ${goTypeName(receiver)}.${name}`);
  if (typeof receiver !== 'object' && typeof receiver !== 'function') {
    return s.fail(node, `can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }
  // A plain object's own non-function property, or its missing key (what lookupMember and mapGet would find).
  if (isPlainObject(receiver)) {
    const own = Object.hasOwn(receiver, name);
    const value = own ? receiver[name] : undefined;
    if (typeof value !== 'function') {
      if (hasArgs) s.fail(node, `${name} has arguments but cannot be invoked as function`);
      return value;
    }
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

function evalFunction(
  s: State,
  dot: unknown,
  name: string,
  node: ArgNode,
  args: readonly ArgNode[],
  final: Final,
): MaybePromise<unknown> {
  if (name === 'and' || name === 'or') {
    if (args.length === 1 && final === missing) s.fail(node, `wrong number of args for ${name}: want at least 1 got 0`);
    const stopOn = name === 'or';
    let v: unknown;
    for (let k = 1; k < args.length; k++) {
      v = evalArg(s, dot, args[k] as ArgNode);
      if (isThenable(v)) return logicAsync(s, dot, stopOn, args, final, k, v);
      if (isTrue(v) === stopOn) return v;
    }
    return final === missing ? v : final;
  }
  const fn = s.ctx.funcs[name];
  if (fn === undefined) return s.fail(node, `${JSON.stringify(name)} is not a defined function`);
  return call(s, dot, fn, name, node, args, final);
}

/** `and`/`or` from operand `k` on, whose value is pending. */
async function logicAsync(
  s: State,
  dot: unknown,
  stopOn: boolean,
  args: readonly ArgNode[],
  final: Final,
  k: number,
  pending: PromiseLike<unknown>,
): Promise<unknown> {
  let v = await pending;
  if (isTrue(v) === stopOn) return v;
  for (let j = k + 1; j < args.length; j++) {
    v = await evalArg(s, dot, args[j] as ArgNode);
    if (isTrue(v) === stopOn) return v;
  }
  return final === missing ? v : final;
}

function call(
  s: State,
  dot: unknown,
  fn: TemplateFunc,
  name: string,
  node: ArgNode,
  args: readonly ArgNode[],
  final: Final,
): MaybePromise<unknown> {
  const argv: unknown[] = [];
  for (let k = 1; k < args.length; k++) {
    const v = evalArg(s, dot, args[k] as ArgNode);
    if (isThenable(v)) return callAsync(s, dot, fn, name, node, args, final, argv, k, v);
    argv.push(v);
  }
  if (final !== missing) argv.push(final);
  return invoke(s, fn, name, node, argv);
}

/** `call` from argument `k` on, whose value is pending. */
async function callAsync(
  s: State,
  dot: unknown,
  fn: TemplateFunc,
  name: string,
  node: ArgNode,
  args: readonly ArgNode[],
  final: Final,
  argv: unknown[],
  k: number,
  pending: PromiseLike<unknown>,
): Promise<unknown> {
  argv.push(await pending);
  for (let j = k + 1; j < args.length; j++) argv.push(await evalArg(s, dot, args[j] as ArgNode));
  if (final !== missing) argv.push(final);
  return invoke(s, fn, name, node, argv);
}

function invoke(s: State, fn: TemplateFunc, name: string, node: ArgNode, argv: unknown[]): MaybePromise<unknown> {
  let r: unknown;
  try {
    r = fn(...argv);
  } catch (err) {
    return callFailed(s, name, node, err);
  }
  return isThenable(r) ? settle(s, name, node, r) : r;
}

async function settle(s: State, name: string, node: ArgNode, pending: PromiseLike<unknown>): Promise<unknown> {
  try {
    return await pending;
  } catch (err) {
    return callFailed(s, name, node, err);
  }
}

function callFailed(s: State, name: string, node: ArgNode, err: unknown): never {
  if (err instanceof TemplateError) throw err;
  if (err instanceof ArgumentError) return s.fail(node, err.message, err);
  const message = err instanceof Error ? err.message : String(err);
  return s.fail(node, `error calling ${name}: ${message}`, err);
}

function evalArg(s: State, dot: unknown, n: ArgNode): MaybePromise<unknown> {
  switch (n.kind) {
    case 'dot':
      return dot;
    case 'nil':
      return null;
    case 'field':
      return evalFieldChain(s, dot, dot, n, n.idents, 0, noArgs, missing);
    case 'variable':
      return evalVariable(s, dot, n, noArgs, missing);
    case 'pipe':
      return evalPipeline(s, dot, n);
    case 'identifier':
      return evalFunction(s, dot, n.name, n, noArgs, missing);
    case 'chain':
      return evalChain(s, dot, n, noArgs, missing);
    case 'literal':
      return n.value;
  }
}
