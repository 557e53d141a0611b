/**
 * The SecLang lexer: splits a configuration text into directives, each a name and its arguments.
 * Lines ending in a backslash continue on the next line (the backslash and newline are dropped); `#` starts
 * a comment line; arguments are separated by blanks and may be double-quoted, where `\"` stands for `"`
 * and every other backslash is kept as written (the rule's operator and action parsers read those).
 */
import { WafConfigError } from '../errors.ts';

/** One directive as written: `name` keeps its case; `args` are unquoted. */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly file: string;
  /** 1-based line where the directive starts. */
  readonly line: number;
}

/** Splits `text` (the content of `file`) into directives. Throws WafConfigError on an unterminated quote. */
export function lex(text: string, file: string): Directive[] {
  const out: Directive[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const start = i + 1;
    let logical = lines[i] as string;
    i++;
    while (/\\\s*$/.test(logical) && i <= lines.length) {
      logical = logical.replace(/\\\s*$/, '') + (lines[i] ?? '');
      i++;
      if (i > lines.length) break;
    }
    const trimmed = logical.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const words = splitWords(trimmed, file, start);
    const [name, ...args] = words;
    if (name !== undefined) out.push({ name, args, file, line: start });
  }
  return out;
}

function splitWords(s: string, file: string, line: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) break;
    if (s[i] === '"') {
      let w = '';
      i++;
      let closed = false;
      while (i < s.length) {
        const c = s[i] as string;
        if (c === '\\' && s[i + 1] === '"') {
          w += '"';
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        w += c;
        i++;
      }
      if (!closed) throw new WafConfigError('unterminated double quote', file, line);
      words.push(w);
    } else {
      let j = i;
      while (j < s.length && s[j] !== ' ' && s[j] !== '\t') j++;
      words.push(s.slice(i, j));
      i = j;
    }
  }
  return words;
}
