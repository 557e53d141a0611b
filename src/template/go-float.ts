/**
 * Go's strconv float formatting for float64 (JavaScript numbers): the `%e`, `%f` and `%g` forms and the shortest
 * form fmt's `%v` prints (`0.5`, `1e+06`, `+Inf`). Rounding to a precision works on the exact decimal value of
 * the double and breaks ties to even, as Go does (`%.0f` of 2.5 is `2`, `%.1f` of 0.25 is `0.2`).
 */

/** Decimal digits (no leading or trailing zeros; '' for zero) and the decimal exponent of the first digit. */
interface Decimal {
  digits: string;
  exp: number;
}

/** The shortest digits that read back as |x| (what Go's shortest formatting uses). */
function shortest(x: number): Decimal {
  if (x === 0) return { digits: '', exp: 0 };
  return parseExponential(Math.abs(x).toExponential());
}

/** The exact decimal value of |x| (to 100 fractional digits, which covers every tie Go rounds). */
function exact(x: number): Decimal {
  const a = Math.abs(x);
  if (a === 0) return { digits: '', exp: 0 };
  if (a < 1e-80) return shortest(a);
  let intPart: string;
  let frac: string;
  if (a >= 1e21) {
    intPart = BigInt(a).toString();
    frac = '';
  } else {
    [intPart = '0', frac = ''] = a.toFixed(100).split('.');
  }
  const all = (intPart === '0' ? '' : intPart) + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const exp = intPart === '0' ? -lead - 1 : intPart.length - 1;
  return { digits: all.slice(lead).replace(/0+$/, ''), exp };
}

/**
 * |x| rounded to `keep` significant digits, ties to even: `roundTo(exact(x), keep)`. For 1 to 15 digits of a
 * number that is not tiny this asks the engine instead: shortest digits that already fit are the rounded value
 * (the double is within half an ulp of them, far closer than a unit in the 15th digit), and `toExponential`
 * rounds the exact value correctly except on a tie, which it breaks upwards. A tie needs the exact value to have
 * `keep + 1` digits ending in 5, and then those are its shortest digits too; only then is the exact path taken.
 */
function rounded(x: number, keep: number): Decimal {
  const a = Math.abs(x);
  if (keep < 1 || keep > 15 || !(a >= 1e-80) || a === Number.POSITIVE_INFINITY) return roundTo(exact(x), keep);
  const d = shortest(a);
  if (d.digits.length <= keep) return d;
  if (d.digits.length === keep + 1 && d.digits.endsWith('5')) return roundTo(exact(x), keep);
  return parseExponential(a.toExponential(keep - 1));
}

/** The digits and exponent of a non-negative `toExponential` string. */
function parseExponential(s: string): Decimal {
  const e = s.indexOf('e');
  let end = e;
  while (end > 0 && (s[end - 1] === '0' || s[end - 1] === '.')) end--;
  const digits = s[1] === '.' ? s[0] + s.slice(2, end) : s.slice(0, end);
  return { digits, exp: Number(s.slice(e + 1)) };
}

/** Rounds to the first `keep` digits, ties to even. */
function roundTo(d: Decimal, keep: number): Decimal {
  if (keep >= d.digits.length) return d;
  if (keep < 0) return { digits: '', exp: d.exp };
  const rest = d.digits.slice(keep);
  const kept = d.digits.slice(0, keep);
  const first = rest[0] as string;
  const lastKept = keep > 0 ? Number(kept[keep - 1]) : 0;
  const up = first > '5' || (first === '5' && (/[1-9]/.test(rest.slice(1)) || lastKept % 2 === 1));
  if (!up) return { digits: kept.replace(/0+$/, ''), exp: d.exp };
  if (kept === '') return { digits: '1', exp: d.exp + 1 };
  const bumped = (BigInt(kept) + 1n).toString();
  if (bumped.length > kept.length) return { digits: bumped.replace(/0+$/, ''), exp: d.exp + 1 };
  return { digits: bumped.replace(/0+$/, ''), exp: d.exp };
}

function expForm(d: Decimal, fracDigits: number, upper: boolean): string {
  const padded = (d.digits || '0').padEnd(fracDigits + 1, '0');
  const mant = fracDigits > 0 ? `${padded[0]}.${padded.slice(1, fracDigits + 1)}` : (padded[0] as string);
  const exp = d.digits === '' ? 0 : d.exp;
  const a = Math.abs(exp);
  return `${mant}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
}

function fixedForm(d: Decimal, fracDigits: number): string {
  const dp = d.digits === '' ? 1 : d.exp + 1;
  let intPart: string;
  let frac: string;
  if (dp <= 0) {
    intPart = '0';
    frac = '0'.repeat(-dp) + d.digits;
  } else if (dp >= d.digits.length) {
    intPart = (d.digits || '0') + '0'.repeat(Math.max(dp - Math.max(d.digits.length, 1), 0));
    frac = '';
  } else {
    intPart = d.digits.slice(0, dp);
    frac = d.digits.slice(dp);
  }
  frac = frac.padEnd(fracDigits, '0').slice(0, fracDigits);
  return fracDigits > 0 ? `${intPart}.${frac}` : intPart;
}

/**
 * Formats x like Go's `strconv.FormatFloat(x, verb, prec, 64)` for verb e, E, f, F, g, G; `prec` -1 is the
 * shortest representation that round-trips. Infinities are `+Inf`/`-Inf`, NaN is `NaN`; negative numbers (and
 * negative zero) get a `-`, positive numbers no sign.
 */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const upper = verb === 'E' || verb === 'G';
  if (verb === 'f' || verb === 'F') {
    if (prec < 0) {
      const d = shortest(x);
      return sign + fixedForm(d, Math.max(d.digits.length - d.exp - 1, 0));
    }
    const e = exact(x);
    return sign + fixedForm(roundTo(e, e.exp + 1 + prec), prec);
  }
  if (verb === 'e' || verb === 'E') {
    if (prec < 0) {
      const d = shortest(x);
      return sign + expForm(d, Math.max(d.digits.length - 1, 0), upper);
    }
    return sign + expForm(rounded(x, prec + 1), prec, upper);
  }
  // g, G
  const isShortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const d = isShortest ? shortest(x) : rounded(x, p);
  const nd = Math.max(d.digits.length, 1);
  const dp = d.digits === '' ? 1 : d.exp + 1;
  const exp = dp - 1;
  let eprec = p;
  if (isShortest) eprec = 6;
  else if (eprec > nd && nd >= dp) eprec = nd;
  if (exp < -4 || exp >= eprec) {
    if (isShortest || p > nd) p = nd;
    return sign + expForm(d, p - 1, upper);
  }
  if (isShortest || p > dp) p = nd;
  return sign + fixedForm(d, Math.max(p - dp, 0));
}

/** What Go's fmt prints for a float64 with `%v`: the shortest `%g` (`0.5`, `100000`, `1e+06`, `+Inf`). */
export function formatFloatV(x: number): string {
  // From 1e-4 up to 1e6 the shortest digits print in fixed form, as JavaScript prints them too.
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) return String(x);
  return formatFloat(x, 'g', -1);
}
