/**
 * SQL injection detection in the spirit of libinjection (our own reduced version, not its fingerprint
 * table): the input is read in the contexts it may land in inside a query — as is, and, when it contains
 * the quote, right after a single or double quote — and tokenised into SQL token kinds. The token-kind
 * fingerprint of the first tokens is then tested against shapes only injections have: a string closed and
 * followed by a logical operator, UNION followed by SELECT, a stacked statement, a comment cutting the
 * query right after a closed string, a time-based function, a block comment nested in another.
 */

/**
 * Token kinds: n number, s string, v variable, x bare word, k keyword, E statement keyword, U union, & logical
 * operator, = comparison or bitwise operator (`=`, `<>`, `|`, `^`), o other operator, f SQL function name
 * right before `(` (F: time- or error-based ones, also with blanks before the `(`, and `waitfor delay`),
 * c comment that ends the query (a block comment, or a line comment with no words after it), h line comment
 * with words after it, X closed block comment holding `/*` (MySQL does not nest them: only evasion writes
 * one), and ( ) , ; as themselves.
 */
type Kind =
  | 'n'
  | 's'
  | 'v'
  | 'x'
  | 'k'
  | 'E'
  | 'U'
  | '&'
  | '='
  | 'o'
  | 'f'
  | 'F'
  | 'c'
  | 'h'
  | 'X'
  | '('
  | ')'
  | ','
  | ';';

const statements = new Set(
  'select insert update delete drop create alter exec execute declare shutdown waitfor truncate replace merge grant revoke load handler call'.split(
    ' ',
  ),
);
const keywords = new Set(
  'from where into values having group order by limit offset case when then else end null is in between exists table procedure like rlike regexp sounds div mod collate as join on top distinct all'.split(
    ' ',
  ),
);
const wordOperators = new Set(['like', 'rlike', 'regexp', 'is', 'in', 'between', 'sounds', 'div', 'mod']);
const logical = new Set(['and', 'or', 'xor', 'not']);
const attackFunctions =
  /^(?:sleep|benchmark|pg_sleep|load_file|extractvalue|updatexml|dbms_pipe\.receive_message|utl_inaddr\.get_host_name)$/;
const sqlFunctions =
  /^(?:char|chr|concat|concat_ws|ascii|substring|substr|version|database|user|current_user|system_user|hex|unhex|cast|convert|count|if|ifnull|group_concat)$/;

const isSpace = (c: string) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\xa0';

function tokenize(s: string, max: number): Kind[] {
  const out: Kind[] = [];
  let i = 0;
  while (i < s.length && out.length < max) {
    const c = s[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < s.length) {
        if (s[j] === '\\') j += 2;
        else if (s[j] === c && s[j + 1] === c) j += 2;
        else if (s[j] === c) break;
        else j++;
      }
      // An unclosed backquote is no identifier (prose quotes `like this').
      if (c === '`' && j >= s.length) {
        i++;
        continue;
      }
      out.push(c === '`' ? 'x' : 's');
      i = j + 1;
      continue;
    }
    // `--` starts a comment only before a blank, a control character or the end (MySQL's rule; `--x` is
    // two minus signs there); `#` always does.
    if ((c === '-' && s[i + 1] === '-' && (i + 2 >= s.length || s.charCodeAt(i + 2) <= 0x20)) || c === '#') {
      const nl = s.indexOf('\n', i);
      const end = nl < 0 ? s.length : nl;
      out.push(/[A-Za-z0-9]/.test(s.slice(i + (c === '#' ? 1 : 2), end)) ? 'h' : 'c');
      i = end + 1;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      // MySQL runs `/*! … */`: read what is inside. (Before looking for the end: a search from each of many
      // `/*!` would make the scan quadratic.)
      if (s[i + 2] === '!') {
        i += 3;
        while (i < s.length && /[0-9]/.test(s[i] as string)) i++;
        continue;
      }
      const end = s.indexOf('*/', i + 2);
      // The closing `*` counts: `/*/*/` holds a `/*`.
      out.push(end >= 0 && s.slice(i + 2, end + 1).includes('/*') ? 'X' : 'c');
      i = end < 0 ? s.length : end + 2;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      let j = i;
      if (c === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X' || s[i + 1] === 'b')) j += 2;
      while (j < s.length && /[0-9a-fA-F.]/.test(s[j] as string)) j++;
      if (/[eE]/.test(s[j - 1] ?? '') && /[+-]/.test(s[j] ?? '')) {
        j++;
        while (j < s.length && /[0-9]/.test(s[j] as string)) j++;
      }
      out.push('n');
      i = j;
      continue;
    }
    if (c === '@') {
      let j = i;
      while (j < s.length && /[@\w.$]/.test(s[j] as string)) j++;
      out.push('v');
      i = j;
      continue;
    }
    if (/[A-Za-z_$\x80-\xff]/.test(c)) {
      let j = i;
      while (j < s.length && /[\w.$\x80-\xff]/.test(s[j] as string)) j++;
      const w = s.slice(i, j).toLowerCase();
      i = j;
      let k = j;
      while (k < s.length && isSpace(s[k] as string)) k++;
      if (w === 'union') out.push('U');
      else if (logical.has(w)) out.push('&');
      else if (s[k] === '(' && attackFunctions.test(w)) out.push('F');
      else if (w === 'waitfor' && /^(?:delay|time)\b/i.test(s.slice(k, k + 6))) out.push('F');
      else if (s[j] === '(' && sqlFunctions.test(w)) out.push('f');
      else if (statements.has(w)) out.push('E');
      else if (wordOperators.has(w)) out.push('o');
      else if (keywords.has(w)) out.push('k');
      else out.push('x');
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === ';') {
      out.push(c);
      i++;
      continue;
    }
    if ((c === '&' && s[i + 1] === '&') || (c === '|' && s[i + 1] === '|')) {
      out.push('&');
      i += 2;
      continue;
    }
    if (/[=<>!+*/%^|&~-]/.test(c)) {
      let j = i + 1;
      while (j < s.length && j - i < 3 && /[=<>!]/.test(s[j] as string)) j++;
      const op = s.slice(i, j);
      out.push(/[=<>|^&]/.test(op) ? '=' : 'o');
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

/** Fingerprint shapes that only injections have. */
const shapes: RegExp[] = [
  // A closed string, then AND/OR and an operand (a bare word only when compared, commented or last):
  // `' or 1=1`, `') or ('a`, `' or true--`.
  /^s\)*&\(*(?:[nsvfFE]|x(?:[=o&;c(]|$))/,
  // … or AND/OR and words up to the end of the statement: `' or email notnull--`, `'or(id glob 1)--`.
  /^s\)*&[(xnko=&)]*[c;]/,
  // A number, then AND/OR and a compared operand, a function or a statement: `1 or 1=1`, `1) and 2--`,
  // `1 and sleep(5)`. (`2 or 3` alone is what people answer to "how many?".)
  /^n\)*&\(*(?:[nsv]\)*(?:[=o]|c|h)|[fF]\(|E)/,
  // UNION [ALL|DISTINCT] SELECT or UNION (SELECT.
  /^[o=]?[snxv]?\)*U(?:k)?[E(]/,
  // A stacked statement or call: `1; drop table`, `'; exec`, `; sleep(0)`; a string closed and the
  // statement ended: `';`, `';#`.
  /^[snxv]?\)*;[EF]/,
  /^s\)*;(?:c|$)/,
  // A subquery right after a value: `1(select*from(select(sleep(5)))d)`.
  /^[nsxk]?\(+E[nvfF(o]/,
  // A statement calling a time-based function: `select sleep(5)`, `select(sleep(5))`.
  /^\(*E\(*F\(/,
  // A string closed and the rest of the query commented out: `admin'--`, `' #`, `'/*`.
  /^s\)*c/,
  // A string closed, then compared (to a bare word only when that is compared, commented or last):
  // `'='`, `' = 1`, `'<>x or '`.
  /^s\)*=(?:[snv]|x(?:[=o&ch)]|$))/,
  // A time-based or error-based function call (`sleep(5)`), or a function right after a closed string
  // (`' sleep(5)`, `'+char(65)`) or after an operator (`1 and ascii(…)`).
  /^F\([nsvo][),]/,
  /^s\)*[&o=]?[fF]\(/,
  /^[nx]\)*[&o=][fF]\(/,
  // A string closed, then arithmetic on an operand up to the end: `x'-email--`, `' mod id--`.
  /^s\)*[o=]\(*[nxsv]\)*c/,
  // A string closed, then a keyword and operands up to the end: `user'collate nocase--`.
  /^s\)*k[xsn]{0,3}c/,
  // A string closed, then a time-based call: `' waitfor delay '0:0:5`, `'sleep(5)`.
  /^s\)*;?F/,
  // A closed string followed by a statement that reads as one: `') waitfor delay`, `' select 1`,
  // `' exec xp_cmdshell 'dir'--` (not `"select a plan"`, `"drop shipping"`).
  /^s\)+E/,
  /^sE(?:[nvfF(;c=]|o[nkv]|xs[c;,])/,
];

function matches(s: string): string | undefined {
  const fp = tokenize(s, 12).join('');
  // A block comment holding `/*` is evasion wherever it stands: `/post/*/*/2 union all`; so is a time-based
  // function called as another call's argument: `if(now()=sysdate(),sleep(12),0)`, or WAITFOR DELAY '…'; so is
  // UNION SELECT after a closed string anywhere: `' and data @> '{}' union select`.
  if (fp.includes('X') || /[f,]\(?F\(|Fxs|s\)*Uk?[E(]/.test(fp)) return fp;
  for (const shape of shapes) if (shape.test(fp)) return fp;
  return undefined;
}

/** The fingerprint when `input` reads as SQL injection in some quoting context, else undefined. */
export function detectSqli(input: string): string | undefined {
  if (input.length < 2) return undefined;
  if (!/['"`;()=<>|&!#/*-]|\b(?:union|select|and|or|xor|sleep|benchmark|exec|drop|insert|update|delete)\b/i.test(input))
    return undefined;
  // A number ORed with itself is the tautology probe (`1 or 1`); two different ones are how people answer
  // "how many?" (`2 or 3`).
  const or = /^\s*(\d{1,9})\s*(?:or|xor|\|\|)\s*(\d{1,9})\s*$/i.exec(input);
  if (or !== null) return or[1] === or[2] ? 'n&n' : undefined;
  return (
    matches(input) ??
    (input.includes("'") ? matches(`'${input}`) : undefined) ??
    (input.includes('"') ? matches(`"${input}`) : undefined)
  );
}
