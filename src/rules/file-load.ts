/**
 * Finds and reads rule files: `rule_files` patterns (Go's `filepath.Glob` syntax: `*`, `?`, `[…]` within one
 * path segment) relative to the config file's directory, or vigil's embedded default rules when there are none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { defaultRulesYaml } from './default-rules.ts';
import { RuleFileError, type RuleIssue } from './errors.ts';
import { type ParseRuleFileOptions, parseRuleFile } from './file-parse.ts';
import type { GroupSpec } from './spec.ts';

/** The name the embedded default rules go by (in the API's `file` and in metrics' `rule_group`). */
export const embeddedRulesFile = '<embedded>/vigil-default-rules.yml';

const magic = /[*?[]/;

/** Go's `path.Match` for one segment: `*`, `?`, `[abc]`, `[a-z]`, `[^…]`, `\` escapes. Undefined when malformed. */
function segmentPattern(p: string): RegExp | undefined {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= p.length) return undefined;
      re += escapeRe(p[i] as string);
    } else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = p.slice(i + 1, end);
      if (body.startsWith('^')) body = `^${body.slice(1).replace(/[\]\\]/g, '\\$&')}`;
      else body = body.replace(/[\]\\^]/g, '\\$&');
      re += `[${body}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`${re}$`, 'u');
  } catch {
    return undefined;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The files matching `pattern` (absolute), sorted; a pattern without magic names its file whether or not it exists. */
function glob(pattern: string): string[] | undefined {
  if (!magic.test(pattern)) return [pattern];
  const parts = pattern.split(sep);
  let found = [parts[0] === '' ? sep : (parts[0] as string)];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (!magic.test(part)) {
      found = found.map((d) => join(d, part));
      continue;
    }
    const re = segmentPattern(part);
    if (re === undefined) return undefined;
    const next: string[] = [];
    for (const dir of found) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (re.test(n)) next.push(join(dir, n));
    }
    found = next;
  }
  return found;
}

/**
 * Expands `rule_files` patterns relative to `baseDir` into file paths, in pattern order, without duplicates.
 * An empty list gives `[embeddedRulesFile]`. Throws RuleFileError for a malformed pattern.
 */
export function expandRuleFiles(patterns: readonly string[], baseDir: string): string[] {
  if (patterns.length === 0) return [embeddedRulesFile];
  const out: string[] = [];
  const issues: RuleIssue[] = [];
  for (const p of patterns) {
    const abs = isAbsolute(p) ? p : resolve(baseDir, p);
    const files = glob(abs);
    if (files === undefined) {
      issues.push({ file: p, line: 0, col: 0, message: 'rule_files: invalid pattern (syntax error in pattern)' });
      continue;
    }
    for (const f of files) if (!out.includes(f)) out.push(f);
  }
  if (issues.length > 0) throw new RuleFileError(issues);
  return out;
}

/** The text of a rule file, or of the embedded default rules. Throws a Node.js error when it cannot be read. */
export function readRuleFile(file: string): string {
  return file === embeddedRulesFile ? defaultRulesYaml : readFileSync(file, 'utf8');
}

/** Reads and parses every file; throws RuleFileError listing every problem of every file. */
export function loadRuleFiles(files: readonly string[], options: ParseRuleFileOptions = {}): GroupSpec[] {
  const groups: GroupSpec[] = [];
  const issues: RuleIssue[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readRuleFile(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
      issues.push({ file, line: 0, col: 0, message: `cannot read the rule file: ${why}` });
      continue;
    }
    const r = parseRuleFile(text, file, options);
    if (r.ok) groups.push(...r.groups);
    else issues.push(...r.issues);
  }
  if (issues.length > 0) throw new RuleFileError(issues);
  return groups;
}
