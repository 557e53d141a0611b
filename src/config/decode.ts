/** Parses YAML text with positions and decodes it with a schema, collecting every problem. */
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { isAlias, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { type DecodeContext, INVALID, type Schema } from './schema.ts';

export interface DecodeOptions {
  /** The name used in messages, and the base for relative paths. @default 'vigil.yml' */
  file?: string;
  /** Directory relative `*_file` paths are resolved against. @default the directory of `file` */
  baseDir?: string;
  /** Environment for `${NAME}` in secrets. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Decodes `text` with `schema`. Throws ConfigError listing every problem, each with file:line:col and key. */
export function decodeYaml<T>(schema: Schema<T>, text: string, options: DecodeOptions = {}): T {
  const file = options.file ?? 'vigil.yml';
  const baseDir = options.baseDir ?? dirname(resolvePath(file));
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const issues: ConfigIssue[] = [];
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, col: p.col };
  };
  for (const e of doc.errors) {
    issues.push({ file, ...at(e.pos[0]), path: '', message: yamlMessage(e.message) });
  }
  if (issues.length > 0) throw new ConfigError(file, issues);

  const ctx: DecodeContext = {
    file,
    baseDir,
    env: options.env ?? process.env,
    readFile: (p) => readFileSync(resolvePath(baseDir, p), 'utf8'),
    report(node, path, message) {
      const offset = node?.range?.[0] ?? 0;
      issues.push({ file, ...at(offset), path, message });
      return INVALID;
    },
    resolve(node) {
      let n = node as Node | null | undefined;
      for (let depth = 0; n && isAlias(n) && depth < 100; depth++) n = n.resolve(doc) as Node | undefined;
      return n ?? null;
    },
  };
  const value = schema.decode(ctx.resolve(doc.contents), ctx, '');
  if (value === INVALID || issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.col - b.col);
    throw new ConfigError(file, issues);
  }
  return value;
}

function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return `invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}
