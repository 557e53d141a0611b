/**
 * A small schema language for YAML config: each schema decodes a YAML node into a typed value, reporting
 * problems at the node's position, and encodes a value back into plain data for display (secrets as
 * `<secret>`). Decoding never throws on user input: it reports and returns INVALID, so one pass finds every
 * problem in a file.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { formatDurationMs, goRegexProblem, parseDurationMs, parseHostPort } from '../model/index.ts';
import { Secret } from './secret.ts';

export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

/** What a schema needs while decoding: where to report, and how to reach files and the environment. */
export interface DecodeContext {
  /** The config file's name as the user gave it, for messages. */
  readonly file: string;
  /** The directory relative paths in the file are resolved against (the file's own directory). */
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file named by a `*_file` key; throws a Node.js error when it cannot. */
  readonly readFile: (path: string) => string;
  /** Records a problem at `node` (or at the document start when null) and returns INVALID. */
  report(node: Node | null | undefined, path: string, message: string): Invalid;
  /** Follows aliases; returns null for a missing or null node. */
  resolve(node: unknown): Node | null;
}

export interface Schema<T> {
  /** Words for "expected …" in messages, e.g. `a duration like 15s`. */
  readonly expected: string;
  decode(node: Node | null, ctx: DecodeContext, path: string): T | Invalid;
  /** Plain data for display; secrets come out as `<secret>`. */
  encode(value: T): unknown;
}

/** The value type a schema decodes to: `Infer<typeof route>` is `Route`. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Describes a node for "got …" in messages. */
export function describeNode(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'null';
    if (typeof node.value === 'string') return JSON.stringify(node.value);
    return node.source ?? String(node.value);
  }
  return 'an unsupported node';
}

function scalarText(node: Scalar): string | undefined {
  const v = node.value;
  if (v === null || v === undefined || typeof v === 'symbol') return undefined;
  if (typeof v === 'string') return v;
  return node.source ?? String(v);
}

function expectScalar(node: Node | null, ctx: DecodeContext, path: string, expected: string): Scalar | Invalid {
  if (node !== null && isScalar(node) && node.value !== null) return node;
  return ctx.report(node, path, `expected ${expected}, got ${describeNode(node)}`);
}

/** A schema for scalars: `parse` turns the scalar's text (or value) into T, or returns undefined when invalid. */
export function scalar<T>(
  expected: string,
  parse: (text: string, raw: unknown) => T | undefined | { error: string },
  encode: (value: T) => unknown = (v) => v,
): Schema<T> {
  return {
    expected,
    decode(node, ctx, path) {
      const s = expectScalar(node, ctx, path, expected);
      if (s === INVALID) return INVALID;
      const text = scalarText(s) ?? '';
      const out = parse(text, s.value);
      if (out === undefined) return ctx.report(s, path, `expected ${expected}, got ${describeNode(s)}`);
      if (typeof out === 'object' && out !== null && 'error' in out && Object.keys(out).length === 1) {
        return ctx.report(s, path, (out as { error: string }).error);
      }
      return out as T;
    },
    encode,
  };
}

/** Any scalar as text; numbers and booleans keep their source spelling (`job_name: 123` is "123"). */
export function str(options: { nonEmpty?: boolean; pattern?: RegExp; expected?: string } = {}): Schema<string> {
  const expected = options.expected ?? (options.nonEmpty ? 'a non-empty string' : 'a string');
  return scalar(expected, (text) => {
    if (options.nonEmpty && text === '') return undefined;
    if (options.pattern && !options.pattern.test(text)) return undefined;
    return text;
  });
}

export function int(options: { min?: number; max?: number } = {}): Schema<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const expected =
    options.min !== undefined && options.max !== undefined
      ? `an integer from ${min} to ${max}`
      : options.min !== undefined
        ? `an integer >= ${min}`
        : 'an integer';
  return scalar(expected, (_t, raw) =>
    typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max ? raw : undefined,
  );
}

export function float(): Schema<number> {
  return scalar('a number', (_t, raw) => (typeof raw === 'number' ? raw : undefined));
}

export function bool(): Schema<boolean> {
  return scalar('true or false', (_t, raw) => (typeof raw === 'boolean' ? raw : undefined));
}

/** A Prometheus duration, decoded to milliseconds and encoded back as text. */
export function duration(options: { minMs?: number; allowZero?: boolean } = {}): Schema<number> {
  return scalar(
    'a duration like 15s',
    (text, raw) => {
      const ms = raw === 0 ? 0 : parseDurationMs(text);
      if (ms === undefined) return undefined;
      if (ms === 0 && options.allowZero === false)
        return { error: `expected a duration greater than 0, got "${text}"` };
      if (options.minMs !== undefined && ms < options.minMs) {
        return { error: `expected a duration of at least ${formatDurationMs(options.minMs)}, got "${text}"` };
      }
      return ms;
    },
    (ms) => formatDurationMs(ms),
  );
}

const sizeUnits: Record<string, number> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  PB: 1024 ** 5,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** A byte size as Prometheus writes it (`512MB`, `1GiB`, `100B`, or a plain number of bytes), in bytes. */
export function byteSize(): Schema<number> {
  return scalar(
    'a size like 10MB',
    (text, raw) => {
      if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
      const m = /^(\d+)(B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB)$/.exec(text);
      if (m === null) return undefined;
      const bytes = Number(m[1]) * (sizeUnits[m[2] as string] as number);
      return Number.isSafeInteger(bytes) ? bytes : undefined;
    },
    (bytes) => `${bytes}B`,
  );
}

export function oneOf<const V extends string>(values: readonly V[]): Schema<V> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return scalar(expected, (text) => (values.includes(text as V) ? (text as V) : undefined));
}

/** `host:port` with a port from 0 to 65535; the host may be empty (all interfaces), a name, IPv4 or `[IPv6]`. */
export function hostPort(): Schema<string> {
  return scalar('host:port like 127.0.0.1:9090', (text) => (parseHostPort(text) ? text : undefined));
}

/** A URL with one of the given schemes. */
export function url(schemes: readonly string[] = ['http', 'https']): Schema<string> {
  return scalar(`a URL (${schemes.join(' or ')})`, (text) => {
    try {
      const u = new URL(text);
      return schemes.includes(u.protocol.slice(0, -1)) && u.host !== '' ? text : undefined;
    } catch {
      return undefined;
    }
  });
}

export const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function labelName(): Schema<string> {
  return str({ pattern: labelNamePattern, expected: 'a label name matching [a-zA-Z_][a-zA-Z0-9_]*' });
}

/**
 * A regular expression in Go RE2 syntax, checked to compile as Go would (Prometheus anchors it at both ends).
 * Kept as text: the modules that match compile it themselves.
 */
export function regex(): Schema<string> {
  return scalar('a regular expression', (text) => {
    const problem = regexProblem(text);
    return problem === undefined ? text : { error: problem };
  });
}

/** Why `source` is not a valid regular expression in Go's RE2 syntax, or undefined when it is. */
export function regexProblem(source: string): string | undefined {
  const problem = goRegexProblem(source);
  return problem === undefined ? undefined : `invalid regular expression ${JSON.stringify(source)}: ${problem}`;
}

/** A default of an empty mapping, fresh for each decode. */
export function emptyRecord<T>(): () => Record<string, T> {
  return () => ({});
}

/**
 * A secret string. `${NAME}` is replaced with the environment variable NAME (an unset one is an error) and
 * `$$` with `$`; the value is wrapped in Secret so it never prints.
 */
export function secret(expected = 'a string'): Schema<Secret> {
  return {
    expected,
    decode(node, ctx, path) {
      const s = expectScalar(node, ctx, path, expected);
      if (s === INVALID) return INVALID;
      const text = scalarText(s) ?? '';
      let missing: string | undefined;
      const value = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name: string | undefined) => {
        if (name === undefined) return '$';
        const v = ctx.env[name];
        if (v === undefined) missing ??= name;
        return v ?? all;
      });
      if (missing !== undefined) return ctx.report(s, path, `environment variable ${missing} is not set`);
      return new Secret(value);
    },
    encode: () => '<secret>',
  };
}

export function list<T>(item: Schema<T>, options: { minItems?: number } = {}): Schema<T[]> {
  const expected = `a list of ${item.expected}`;
  return {
    expected,
    decode(node, ctx, path) {
      if (node === null || !isSeq(node))
        return ctx.report(node, path, `expected ${expected}, got ${describeNode(node)}`);
      const out: T[] = [];
      let ok = true;
      node.items.forEach((raw, i) => {
        const v = item.decode(ctx.resolve(raw), ctx, `${path}[${i}]`);
        if (v === INVALID) ok = false;
        else out.push(v);
      });
      if (!ok) return INVALID;
      if (options.minItems !== undefined && out.length < options.minItems) {
        return ctx.report(node, path, `expected at least ${options.minItems} item(s), got ${out.length}`);
      }
      return out;
    },
    encode: (values) => values.map((v) => item.encode(v)),
  };
}

/** A mapping with free keys (label sets, headers, params). */
export function record<T>(value: Schema<T>, key: Schema<string> = str()): Schema<Record<string, T>> {
  const expected = `a mapping of ${key.expected} to ${value.expected}`;
  return {
    expected,
    decode(node, ctx, path) {
      if (node === null || !isMap(node))
        return ctx.report(node, path, `expected ${expected}, got ${describeNode(node)}`);
      const out: Record<string, T> = Object.create(null);
      let ok = true;
      for (const pair of mapPairs(node, ctx)) {
        const keyNode = ctx.resolve(pair.key);
        const k = key.decode(keyNode, ctx, path);
        if (k === INVALID) {
          ok = false;
          continue;
        }
        const v = value.decode(ctx.resolve(pair.value), ctx, `${path}.${k}`);
        if (v === INVALID) ok = false;
        else out[k] = v;
      }
      return ok ? out : INVALID;
    },
    encode(values) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) out[k] = value.encode(v);
      return out;
    },
  };
}

/** The pairs of a mapping with YAML merge keys (`<<: *anchor`) expanded; explicit keys win over merged ones. */
export function mapPairs(node: YAMLMap, ctx: DecodeContext): Pair[] {
  const own: Pair[] = [];
  const merged: Pair[] = [];
  for (const pair of node.items as Pair[]) {
    const key = ctx.resolve(pair.key);
    if (key !== null && isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol')) {
      const src = ctx.resolve(pair.value);
      const sources = src !== null && isSeq(src) ? src.items.map((n) => ctx.resolve(n)) : [src];
      for (const s of sources) if (s !== null && isMap(s)) merged.push(...mapPairs(s, ctx));
      continue;
    }
    own.push(pair);
  }
  if (merged.length === 0) return own;
  const seen = new Set(own.map((p) => keyText(ctx.resolve(p.key))));
  return [...own, ...merged.filter((p) => !seen.has(keyText(ctx.resolve(p.key))))];
}

function keyText(node: Node | null): string | undefined {
  return node !== null && isScalar(node) ? scalarText(node) : undefined;
}

export interface Field<T> {
  readonly schema: Schema<unknown>;
  readonly kind: 'required' | 'optional' | 'default' | 'section';
  readonly defaultValue?: () => T;
  /** For secrets: the `*_file` key that may give the value instead. */
  readonly fileKey?: string;
  /** Phantom: the decoded type. */
  readonly type?: T;
}

export function required<T>(schema: Schema<T>): Field<T> {
  return { schema, kind: 'required' };
}

export function optional<T>(schema: Schema<T>): Field<T | undefined> {
  return { schema, kind: 'optional' };
}

export function withDefault<T>(schema: Schema<T>, value: T | (() => T)): Field<T> {
  const defaultValue = typeof value === 'function' ? (value as () => T) : () => value;
  return { schema, kind: 'default', defaultValue };
}

/** A nested object that, when absent, decodes as an empty mapping (so its own defaults apply). */
export function section<T>(schema: Schema<T>): Field<T> {
  return { schema, kind: 'section' };
}

/** A secret given inline (`password`) or read from a file (`password_file`), trimmed of surrounding space. */
export function secretField(fileKey: string): Field<Secret | undefined> {
  return { schema: secret() as Schema<unknown>, kind: 'optional', fileKey };
}

export type ObjectValue<F> = { readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** Keys and list indexes from a checked object down to a value, e.g. `['receivers', 0, 'name']`. */
export type Path = ReadonlyArray<string | number>;

/**
 * Where a cross-field problem is: null for the mapping itself, a key of it, or a path below it such as
 * `['scrape_configs', 2, 'scrape_timeout']`. The report points at that value's position in the file.
 */
export type CheckTarget = string | Path | null;

/** Records a cross-field problem at `target` (see {@link CheckTarget}); the check goes on, and decoding fails. */
export type Report = (target: CheckTarget, message: string) => void;

export interface ObjectOptions<V> {
  expected?: string;
  /** Cross-field rules, run when every field decoded; `report(target, message)` points at the target's value. */
  check?: (value: V, report: Report) => void;
}

/** A mapping with a fixed set of keys; any other key is an error with a "did you mean" hint. */
export function object<F extends Record<string, Field<unknown>>>(
  fields: F,
  options: ObjectOptions<ObjectValue<F>> = {},
): Schema<ObjectValue<F>> {
  const expected = options.expected ?? 'a mapping';
  const fileKeys = new Map<string, string>();
  for (const [name, field] of Object.entries(fields)) if (field.fileKey) fileKeys.set(field.fileKey, name);
  const known = [...Object.keys(fields), ...fileKeys.keys()];
  return {
    expected,
    decode(node, ctx, path) {
      if (node !== null && !isMap(node) && !(isScalar(node) && node.value === null)) {
        return ctx.report(node, path, `expected ${expected}, got ${describeNode(node)}`);
      }
      const at = (key: string) => (path === '' ? key : `${path}.${key}`);
      const present = new Map<string, { key: Node; value: Node | null }>();
      let ok = true;
      if (node !== null && isMap(node)) {
        for (const pair of mapPairs(node, ctx)) {
          const keyNode = ctx.resolve(pair.key);
          const name = keyNode !== null && isScalar(keyNode) ? scalarText(keyNode) : undefined;
          if (keyNode === null || name === undefined) {
            ctx.report(keyNode ?? node, path, `expected a key, got ${describeNode(keyNode)}`);
            ok = false;
            continue;
          }
          if (!known.includes(name)) {
            const hint = closest(name, known);
            ctx.report(keyNode, at(name), `unknown key${hint ? ` (did you mean ${hint}?)` : ''}`);
            ok = false;
            continue;
          }
          present.set(name, { key: keyNode, value: ctx.resolve(pair.value) });
        }
      }
      const out: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(fields)) {
        const entry = present.get(name);
        const hasValue = entry !== undefined && !isNull(entry.value);
        if (field.fileKey !== undefined) {
          const fileEntry = present.get(field.fileKey);
          if (fileEntry !== undefined && !isNull(fileEntry.value)) {
            if (hasValue) {
              ctx.report(fileEntry.key, at(field.fileKey), `cannot be used together with ${name}`);
              ok = false;
              continue;
            }
            const v = readSecretFile(fileEntry.value, ctx, at(field.fileKey));
            if (v === INVALID) ok = false;
            else out[name] = v;
            continue;
          }
        }
        if (!hasValue) {
          if (field.kind === 'required') {
            ctx.report(entry?.key ?? node, at(name), `missing (expected ${field.schema.expected})`);
            ok = false;
          } else if (field.kind === 'default') {
            out[name] = (field.defaultValue as () => unknown)();
          } else if (field.kind === 'section') {
            const v = field.schema.decode(null, ctx, at(name));
            if (v === INVALID) ok = false;
            else out[name] = v;
          }
          continue;
        }
        const v = field.schema.decode((entry as { value: Node }).value, ctx, at(name));
        if (v === INVALID) ok = false;
        else out[name] = v;
      }
      if (!ok) return INVALID;
      const value = out as ObjectValue<F>;
      if (options.check) {
        let checked = true;
        options.check(value, (target, message) => {
          checked = false;
          const parts = target === null ? [] : typeof target === 'string' ? [target] : target;
          const found = findNode(node, parts, ctx);
          ctx.report(found, joinPath(path, parts), message);
        });
        if (!checked) return INVALID;
      }
      return value;
    },
    encode(value) {
      const out: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(fields)) {
        const v = (value as Record<string, unknown>)[name];
        if (v !== undefined) out[name] = field.schema.encode(v);
      }
      return out;
    },
  };
}

/** The node at `parts` below `node`, or the deepest one that exists on the way. */
function findNode(node: Node | null, parts: Path, ctx: DecodeContext): Node | null {
  let cur = node;
  for (const part of parts) {
    let next: Node | null = null;
    if (cur !== null && typeof part === 'number' && isSeq(cur)) next = ctx.resolve(cur.items[part]);
    if (cur !== null && typeof part === 'string' && isMap(cur)) {
      const pair = mapPairs(cur, ctx).find((p) => keyText(ctx.resolve(p.key)) === part);
      if (pair) next = ctx.resolve(pair.value) ?? ctx.resolve(pair.key);
    }
    if (next === null) return cur;
    cur = next;
  }
  return cur;
}

/** Joins a base path and parts as `a.b[2].c`. */
export function joinPath(base: string, parts: Path): string {
  let out = base;
  for (const p of parts) out = typeof p === 'number' ? `${out}[${p}]` : out === '' ? p : `${out}.${p}`;
  return out;
}

function isNull(node: Node | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function readSecretFile(node: Node | null, ctx: DecodeContext, path: string): Secret | Invalid {
  const s = expectScalar(node, ctx, path, 'a file path');
  if (s === INVALID) return INVALID;
  const file = scalarText(s) ?? '';
  try {
    return new Secret(ctx.readFile(file).trim());
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
    return ctx.report(s, path, `cannot read secret file ${JSON.stringify(file)}: ${why}`);
  }
}

/** The candidate closest to `name` by edit distance, when close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** Decodes with `schema`, then maps the value with `fn` (which must not throw); encodes with `schema`. */
export function transformed<T, U extends T>(schema: Schema<T>, fn: (value: T) => U): Schema<U> {
  return {
    expected: schema.expected,
    decode(node, ctx, path) {
      const v = schema.decode(node, ctx, path);
      return v === INVALID ? INVALID : fn(v);
    },
    encode: (v) => schema.encode(v),
  };
}

/** Wraps a schema with a check on the decoded value; `check` returns an error message or undefined. */
export function refine<T>(schema: Schema<T>, check: (value: T) => string | undefined): Schema<T> {
  return {
    expected: schema.expected,
    decode(node, ctx, path) {
      const v = schema.decode(node, ctx, path);
      if (v === INVALID) return INVALID;
      const problem = check(v);
      return problem === undefined ? v : ctx.report(node, path, problem);
    },
    encode: (v) => schema.encode(v),
  };
}
