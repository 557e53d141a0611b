/**
 * How JavaScript values stand for Go values in templates. A `number` is a float64, a `bigint` an int (integer
 * literals, `len`, range indexes), a string a string, a boolean a bool; `undefined` is a missing map key and reads
 * as the zero value (prints as ""), `null` is nil. Arrays are slices; plain objects, Maps and KV are maps (ranged
 * and printed in key order); a Date is a time.Time; other objects are structs whose methods templates may call.
 */
import { formatFloatV } from './go-float.ts';
import { goTimeString, timeMethods } from './go-time.ts';
import { KV } from './kv.ts';

const compareKeys = (a: unknown, b: unknown) => {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Whether `v` is a Go map: a plain object, a Map or a KV. */
export function isMapLike(v: unknown): v is Record<string, unknown> | ReadonlyMap<unknown, unknown> | KV {
  return v instanceof Map || v instanceof KV || isPlainObject(v);
}

/** A map's keys in Go's range and print order (sorted). */
export function mapKeys(v: Record<string, unknown> | ReadonlyMap<unknown, unknown> | KV): unknown[] {
  if (v instanceof KV) return v.keys();
  if (v instanceof Map) return [...v.keys()].sort(compareKeys);
  return Object.keys(v).sort(); // strings: the default order is compareKeys' (UTF-16 code units)
}

/** The value at `key`, undefined when absent (KV: "" when absent, its Go zero value). */
export function mapGet(v: Record<string, unknown> | ReadonlyMap<unknown, unknown> | KV, key: unknown): unknown {
  if (v instanceof KV) return v.get(String(key)) ?? '';
  if (v instanceof Map) return v.get(key);
  const k = String(key);
  return Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
}

export function mapSize(v: Record<string, unknown> | ReadonlyMap<unknown, unknown> | KV): number {
  if (v instanceof KV || v instanceof Map) return v.size;
  return Object.keys(v).length;
}

/**
 * A member of a struct-like value: an own property, or a property of a prototype below Object/Array/Map (so
 * class methods are visible but `toString` and `constructor` are not). Dates expose Go's time methods.
 */
export function lookupMember(v: object, name: string): { found: boolean; value: unknown } {
  if (v instanceof Date) {
    const m = timeMethods[name];
    return m === undefined
      ? { found: false, value: undefined }
      : { found: true, value: (...a: unknown[]) => m(v, ...a) };
  }
  for (let o: object | null = v; o !== null && !builtinPrototypes.has(o); o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, name)) {
      const value = Reflect.get(o, name, v) as unknown;
      return { found: true, value: typeof value === 'function' ? value.bind(v) : value };
    }
  }
  return { found: false, value: undefined };
}
const builtinPrototypes = new Set<object>([
  Object.prototype,
  Array.prototype,
  Map.prototype,
  Function.prototype,
  Error.prototype,
]);

/** The text of a value with a Go `String()` method (a Date, a KV, a GoDuration, an Error), or undefined. */
export function stringerText(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  if (v instanceof Date) return goTimeString(v);
  if (v instanceof Error) return v.message;
  const m = lookupMember(v, 'String');
  if (m.found && typeof m.value === 'function') return String(m.value());
  return undefined;
}

/** Go's truth: false, 0, nil, "" and empty slices and maps are false; everything else is true. */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'string':
      return v.length > 0;
    case 'object':
      if (Array.isArray(v)) return v.length > 0;
      if (isMapLike(v)) return mapSize(v) > 0;
      return true;
    default:
      return true;
  }
}

/** Go's name of the type a value stands for, as fmt prints it in `%!d(string=abc)`. */
export function goTypeName(v: unknown): string {
  switch (typeof v) {
    case 'string':
    case 'undefined':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'func(...interface {}) interface {}';
    default:
      if (v === null) return '<nil>';
      if (v instanceof Date) return 'time.Time';
      if (v instanceof KV) return 'template.KV';
      if (Array.isArray(v))
        return v.every((e) => typeof e === 'string') && v.length > 0 ? '[]string' : '[]interface {}';
      if (isMapLike(v)) return 'map[string]interface {}';
      return `*${(v as object).constructor?.name ?? 'struct'}`;
  }
}

/** Go's fmt `%v` of a value. `undefined` prints as "" (a missing key's zero value), null as `<nil>`. */
export function formatV(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return '';
    case 'string':
      return v;
    case 'number':
      return formatFloatV(v);
    case 'bigint':
    case 'boolean':
      return String(v);
    case 'function':
      return '<func>';
    default: {
      if (v === null) return '<nil>';
      const s = stringerText(v);
      if (s !== undefined) return s;
      const inner = (x: unknown) => (x === undefined ? '<nil>' : formatV(x));
      if (Array.isArray(v)) return `[${v.map(inner).join(' ')}]`;
      if (isMapLike(v))
        return `map[${mapKeys(v)
          .map((k) => `${inner(k)}:${inner(mapGet(v, k))}`)
          .join(' ')}]`;
      return `{${Object.values(v as object)
        .map(inner)
        .join(' ')}}`;
    }
  }
}

/** Go's `strconv.Quote`: a double-quoted string with Go escapes; printable Unicode is kept. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]|\u0020/u.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
