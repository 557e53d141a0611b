/**
 * PCRE (what ModSecurity runs) to RE2 (what we run: linear time, so no request can stall the event loop).
 * Rules see values as Latin-1 strings, one character per byte, so `\xHH` and `\x{HH}` mean byte HH in both.
 * Patterns are compiled with PCRE's DOTALL and MULTILINE, as ModSecurity compiles them.
 *
 * What RE2 lacks is rewritten where an equivalent exists (`\Z`, `\h`, `\R`, atomic groups, possessive
 * quantifiers, which only differ from their plain forms in backtracking cost); lookaround, backreferences,
 * recursion and conditionals cannot be rewritten and are reported.
 */
import RE2 from 're2';

/** A compiled pattern, or the reason it could not be compiled. */
export type CompiledRegex = { ok: true; re: RE2 } | { ok: false; reason: string };

/** Rewrites PCRE-only syntax for RE2, or returns the reason it cannot. */
export function pcreToRe2(pattern: string): { source: string } | { reason: string } {
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (!inClass) {
        if (e === 'Z') {
          out += '(?:\\n?\\z)';
          i += 2;
          continue;
        }
        if (e === 'R') {
          out += '(?:\\r\\n|\\n|\\r)';
          i += 2;
          continue;
        }
        if (e === 'G' || e === 'K') return { reason: `\\${e} is not supported by RE2` };
        if (/[1-9]/.test(e)) return { reason: 'backreferences are not supported by RE2' };
        if (e === 'g' || e === 'k') return { reason: 'backreferences are not supported by RE2' };
      }
      if (e === 'h') {
        out += inClass ? '\\t ' : '[\\t ]';
        i += 2;
        continue;
      }
      out += c + e;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const close = pattern.indexOf(':]', i + 2);
        if (close > 0) {
          out += pattern.slice(i, close + 2);
          i = close + 2;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      out += pattern.slice(i, j);
      i = j;
      inClass = true;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const k = pattern[i + 2];
      if (k === '>') {
        out += '(?:';
        i += 3;
        continue;
      }
      if (k === '=' || k === '!') return { reason: 'lookahead is not supported by RE2' };
      if (k === '<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!'))
        return { reason: 'lookbehind is not supported by RE2' };
      if (k === '(') return { reason: 'conditionals are not supported by RE2' };
      if (k === 'R' || (k !== undefined && /[0-9+-]/.test(k))) return { reason: 'recursion is not supported by RE2' };
    }
    if (c === '+' && i > 0 && /[*+?}]/.test(pattern[i - 1] as string) && pattern[i - 2] !== '\\') {
      // Possessive quantifier: the same matches as the plain one, without backtracking (which RE2 never does).
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return { source: out };
}

/** Compiles a rule's pattern with DOTALL and MULTILINE. Never throws. */
export function compilePcre(pattern: string): CompiledRegex {
  const t = pcreToRe2(pattern);
  if ('reason' in t) return { ok: false, reason: t.reason };
  try {
    return { ok: true, re: new RE2(t.source, 'sm') };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
