/**
 * Go's fmt.Sprintf, Sprint and Sprintln over template values (see value.ts for how JavaScript values stand for Go
 * values). Verbs: %v %s %q %d %b %o %O %x %X %c %U %e %E %f %F %g %G %t %T %%, flags `+ - # 0 space`, width and
 * precision (digits or `*`), explicit argument indexes `%[2]d`. Mismatches print as Go prints them:
 * `%!d(string=abc)`, `%!d(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`.
 */
import { formatFloat } from './go-float.ts';
import { formatV, goQuote, goTypeName, isMapLike, mapGet, mapKeys, stringerText } from './value.ts';

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width: number | undefined;
  prec: number | undefined;
}

const runeLength = (s: string) => [...s].length;

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  if (w === undefined) return s;
  const n = runeLength(s);
  if (n >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  }
  if (spec.zero) return '0'.repeat(w - n) + s;
  return ' '.repeat(w - n) + s;
}

const badVerb = (verb: string, arg: unknown) =>
  arg === null ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeName(arg)}=${formatV(arg)})`;

function formatInt(n: bigint, verb: string, spec: Spec): string {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'd':
    case 'v':
      digits = a.toString();
      break;
    case 'b':
      digits = a.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = a.toString(8);
      if (verb === 'O') prefix = '0o';
      else if (spec.sharp && digits !== '0') prefix = '0';
      break;
    case 'x':
      digits = a.toString(16);
      if (spec.sharp) prefix = '0x';
      break;
    case 'X':
      digits = a.toString(16).toUpperCase();
      if (spec.sharp) prefix = '0X';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(n)), spec, false);
    case 'q':
      return pad(goQuoteRune(Number(n)), spec, false);
    case 'U':
      return pad(`U+${a.toString(16).toUpperCase().padStart(4, '0')}`, spec, false);
    default:
      return badVerb(verb, n);
  }
  if (spec.prec !== undefined) digits = spec.prec === 0 && a === 0n ? '' : digits.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + prefix + digits, { ...spec, zero: spec.zero && spec.prec === undefined }, true);
}

function goQuoteRune(c: number): string {
  if (c === 0x27) return "'\\''";
  const q = goQuote(String.fromCodePoint(c));
  return `'${q.slice(1, -1).replace(/\\"/g, '"')}'`;
}

function formatNumber(x: number, verb: string, spec: Spec): string {
  let v = verb;
  let prec = spec.prec ?? -1;
  if (v === 'v') v = 'g';
  else if ('eEfF'.includes(v) && spec.prec === undefined) prec = 6;
  else if (!'eEfFgG'.includes(v)) return badVerb(verb, x);
  let s = formatFloat(x, v, prec);
  if (spec.sharp && !s.includes('.') && Number.isFinite(x)) {
    const e = s.search(/[eE]/);
    s = e < 0 ? `${s}.` : `${s.slice(0, e)}.${s.slice(e)}`;
  }
  if (Number.isNaN(x)) {
    s = spec.plus ? '+NaN' : spec.space ? ' NaN' : 'NaN';
    return pad(s, { ...spec, zero: false }, false);
  }
  if (!Number.isFinite(x)) {
    if (x > 0 && !spec.plus) s = spec.space ? ' Inf' : '+Inf';
    return pad(s, { ...spec, zero: false }, false);
  }
  if (!s.startsWith('-')) s = spec.plus ? `+${s}` : spec.space ? ` ${s}` : s;
  return pad(s, spec, true);
}

function formatString(s: string, verb: string, spec: Spec): string {
  let t = s;
  switch (verb) {
    case 'v':
    case 's':
      if (spec.prec !== undefined) t = [...t].slice(0, spec.prec).join('');
      return pad(t, spec, false);
    case 'q':
      if (spec.prec !== undefined) t = [...t].slice(0, spec.prec).join('');
      return pad(spec.sharp && !/[`\p{Cc}]/u.test(t) ? `\`${t}\`` : goQuote(t), spec, false);
    case 'x':
    case 'X': {
      let hex = Buffer.from(t, 'utf8').toString('hex');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec, false);
    }
    default:
      return badVerb(verb, s);
  }
}

/** One argument formatted with one verb. */
export function formatArg(arg: unknown, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(arg === null ? '<nil>' : goTypeName(arg), spec, false);
  if (arg === undefined) return formatString('', verb, spec);
  if (arg === null) return verb === 'v' ? pad('<nil>', spec, false) : badVerb(verb, null);
  if ('vsqxX'.includes(verb)) {
    const s = stringerText(arg);
    if (s !== undefined) return formatString(s, verb, spec);
  }
  switch (typeof arg) {
    case 'string':
      return formatString(arg, verb, spec);
    case 'bigint':
      return formatInt(arg, verb, spec);
    case 'number':
      return formatNumber(arg, verb, spec);
    case 'boolean':
      return verb === 't' || verb === 'v' ? pad(String(arg), spec, false) : badVerb(verb, arg);
    case 'object':
      if (Array.isArray(arg)) return `[${arg.map((e) => formatArg(e, verb, spec)).join(' ')}]`;
      if (isMapLike(arg)) {
        const parts = mapKeys(arg).map((k) => `${formatArg(k, verb, spec)}:${formatArg(mapGet(arg, k), verb, spec)}`);
        return `map[${parts.join(' ')}]`;
      }
      return verb === 'v' ? pad(formatV(arg), spec, false) : badVerb(verb, arg);
    default:
      return verb === 'v' || verb === 'p' ? pad(formatV(arg), spec, false) : badVerb(verb, arg);
  }
}

/** Go's `fmt.Sprintf(format, args...)`. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = {
      plus: false,
      minus: false,
      sharp: false,
      zero: false,
      space: false,
      width: undefined,
      prec: undefined,
    };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '+') spec.plus = true;
      else if (c === '-') spec.minus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === '0') spec.zero = true;
      else if (c === ' ') spec.space = true;
      else break;
    }
    const argIndex = () => {
      const m = /^\[(\d+)\]/.exec(format.slice(i));
      if (m === null) return;
      argNum = Number(m[1]) - 1;
      reordered = true;
      i += m[0].length;
    };
    const intArg = (): number | undefined => {
      const a = args[argNum++];
      if (typeof a === 'bigint') return Number(a);
      return undefined;
    };
    argIndex();
    let badWidth = false;
    let badPrec = false;
    if (format[i] === '*') {
      i++;
      const w = intArg();
      if (w === undefined) badWidth = true;
      else if (w < 0) {
        spec.minus = true;
        spec.width = -w;
      } else spec.width = w;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m !== null) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = intArg();
        if (p === undefined || p < 0) badPrec = true;
        else spec.prec = p;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        spec.prec = m === null ? 0 : Number(m[0]);
        if (m !== null) i += m[0].length;
      }
    }
    argIndex();
    if (badWidth) out += '%!(BADWIDTH)';
    if (badPrec) out += '%!(BADPREC)';
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(${argNum > args.length || reordered ? 'BADINDEX' : 'MISSING'})`;
      continue;
    }
    out += formatArg(args[argNum++], verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => (a === null ? '<nil>' : `${goTypeName(a)}=${formatV(a)}`))
      .join(', ')})`;
  }
  return out;
}

/** Go's `fmt.Sprint`: operands in `%v`, a space between two operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, k) => {
    const isStr = (x: unknown) => typeof x === 'string' || x === undefined;
    if (k > 0 && !isStr(a) && !isStr(args[k - 1])) out += ' ';
    out += formatV(a);
  });
  return out;
}

/** Go's `fmt.Sprintln`: operands in `%v` separated by spaces, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map((a) => formatV(a)).join(' ')}\n`;
}
