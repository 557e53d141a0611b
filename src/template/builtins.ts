/**
 * Go's predefined template functions: and, or (short-circuiting; the executor evaluates them), not, len, index,
 * slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery, call.
 */
import { ArgumentError } from './errors.ts';
import type { TemplateFunc } from './exec.ts';
import { sprint, sprintf, sprintln } from './printf.ts';
import { goTypeName, isMapLike, isTrue, mapGet, mapSize } from './value.ts';

function arity(name: string, args: readonly unknown[], want: number): void {
  if (args.length !== want)
    throw new ArgumentError(`wrong number of args for ${name}: want ${want} got ${args.length}`);
}
function atLeast(name: string, args: readonly unknown[], want: number): void {
  if (args.length < want) {
    throw new ArgumentError(`wrong number of args for ${name}: want at least ${want} got ${args.length}`);
  }
}

/** Go's `len`: bytes of a string (UTF-8), elements of a slice, entries of a map; an int. */
function len(...args: unknown[]): bigint {
  arity('len', args, 1);
  const v = args[0];
  if (typeof v === 'string') return BigInt(Buffer.byteLength(v, 'utf8'));
  if (v === undefined) return 0n;
  if (Array.isArray(v)) return BigInt(v.length);
  if (v !== null && isMapLike(v)) return BigInt(mapSize(v));
  throw new Error(`len of type ${goTypeName(v)}`);
}

function toIndex(v: unknown, cap: number): number {
  if (typeof v !== 'bigint') throw new Error(`cannot index slice/array with type ${goTypeName(v)}`);
  if (v < 0n || v >= BigInt(cap)) throw new Error(`index out of range: ${v}`);
  return Number(v);
}

function index(...args: unknown[]): unknown {
  atLeast('index', args, 1);
  let v = args[0];
  for (const i of args.slice(1)) {
    if (v === undefined) return undefined;
    if (v === null) throw new Error('index of untyped nil');
    if (typeof v === 'string') v = BigInt(Buffer.from(v, 'utf8')[toIndex(i, Buffer.byteLength(v, 'utf8'))] as number);
    else if (Array.isArray(v)) v = v[toIndex(i, v.length)];
    else if (isMapLike(v)) v = mapGet(v, i);
    else throw new Error(`can't index item of type ${goTypeName(v)}`);
  }
  return v;
}

function slice(...args: unknown[]): unknown {
  atLeast('slice', args, 1);
  const v = args[0];
  if (typeof v !== 'string' && !Array.isArray(v)) throw new Error(`can't slice item of type ${goTypeName(v)}`);
  if (args.length > 4 || (typeof v === 'string' && args.length > 3)) throw new Error('too many slice indexes');
  const n = typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length;
  const idx = args.slice(1).map((i) => {
    if (typeof i !== 'bigint') throw new Error(`cannot index slice/array with type ${goTypeName(i)}`);
    if (i < 0n || i > BigInt(n)) throw new Error(`index out of range: ${i}`);
    return Number(i);
  });
  const from = idx[0] ?? 0;
  const to = idx[1] ?? n;
  if (from > to) throw new Error(`invalid slice index: ${from} > ${to}`);
  if (typeof v === 'string') return Buffer.from(v, 'utf8').subarray(from, to).toString('utf8');
  return v.slice(from, to);
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'other';
const kindOf = (v: unknown): Kind =>
  typeof v === 'boolean'
    ? 'bool'
    : typeof v === 'bigint'
      ? 'int'
      : typeof v === 'number'
        ? 'float'
        : typeof v === 'string'
          ? 'string'
          : 'other';

/** `undefined` (a missing key) compares as the zero value of the other operand's kind. */
function zeroLike(v: unknown, other: unknown): unknown {
  if (v !== undefined) return v;
  switch (kindOf(other)) {
    case 'bool':
      return false;
    case 'int':
      return 0n;
    case 'float':
      return 0;
    default:
      return other === undefined ? undefined : '';
  }
}

function basicEq(a0: unknown, b0: unknown): boolean {
  const a = zeroLike(a0, b0);
  const b = zeroLike(b0, a0);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'other' || kb === 'other') {
    if (a === null || b === null || a === undefined || b === undefined) return a === b || (a ?? null) === (b ?? null);
    if (Array.isArray(a) || Array.isArray(b) || isMapLike(a) || isMapLike(b)) throw new Error('non-comparable type');
    return a === b;
  }
  if (ka !== kb) throw new Error('incompatible types for comparison');
  return a === b;
}

function eq(...args: unknown[]): boolean {
  atLeast('eq', args, 2);
  const [first, ...rest] = args;
  return rest.some((b) => basicEq(first, b));
}

function lessThan(a0: unknown, b0: unknown): boolean {
  const a = zeroLike(a0, b0);
  const b = zeroLike(b0, a0);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'other' || ka === 'bool' || kb === 'other' || kb === 'bool')
    throw new Error('invalid type for comparison');
  if (ka !== kb) throw new Error('incompatible types for comparison');
  return (a as string | number | bigint) < (b as string | number | bigint);
}

function compare(name: string, f: (a: unknown, b: unknown) => boolean): TemplateFunc {
  return (...args) => {
    arity(name, args, 2);
    return f(args[0], args[1]);
  };
}

/** Go's `template.HTMLEscapeString`. */
export function htmlEscape(s: string): string {
  return s.replace(
    /[<>&'"\0]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c] as string,
  );
}

/** Go's `template.JSEscapeString`. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<' || ch === '>' || ch === '&' || ch === '=')
      out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** Go's `url.QueryEscape`: space as `+`, everything but letters, digits and `-_.~` percent-encoded. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The string Go's escapers work on: the single string argument, or fmt.Sprint of the arguments. */
const evalArgs = (args: readonly unknown[]) =>
  args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);

/** The predefined functions, by name (`and`/`or` are listed so that parsing knows them). */
export const builtins: Readonly<Record<string, TemplateFunc>> = {
  and: () => undefined,
  or: () => undefined,
  not: (...args) => {
    arity('not', args, 1);
    return !isTrue(args[0]);
  },
  len,
  index,
  slice,
  print: (...args) => sprint(args),
  println: (...args) => sprintln(args),
  printf: (...args) => {
    atLeast('printf', args, 1);
    const [format, ...rest] = args;
    if (typeof format !== 'string')
      throw new ArgumentError(`wrong type for value; expected string; got ${goTypeName(format)}`);
    return sprintf(format, rest);
  },
  eq,
  ne: compare('ne', (a, b) => !basicEq(a, b)),
  lt: compare('lt', lessThan),
  le: compare('le', (a, b) => lessThan(a, b) || basicEq(a, b)),
  gt: compare('gt', (a, b) => !lessThan(a, b) && !basicEq(a, b)),
  ge: compare('ge', (a, b) => !lessThan(a, b)),
  html: (...args) => htmlEscape(evalArgs(args)),
  js: (...args) => jsEscape(evalArgs(args)),
  urlquery: (...args) => queryEscape(evalArgs(args)),
  call: (...args) => {
    atLeast('call', args, 1);
    const [fn, ...rest] = args;
    if (typeof fn !== 'function') throw new Error(`non-function of type ${goTypeName(fn)}`);
    return fn(...rest);
  },
};
