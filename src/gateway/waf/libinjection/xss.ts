/**
 * XSS detection in the spirit of libinjection's HTML5 check (our own reduced version): the input is scanned
 * as HTML in the contexts it may land in (text, inside a tag, inside an attribute value), and flagged when
 * it opens a script-capable tag, sets an event-handler attribute, or puts a script URL or a CSS expression
 * in an attribute. Hand-written scanning, linear in the input: no backtracking regex sees user data.
 */

const dangerousTags = new Set(
  (
    'script iframe frame frameset object embed applet svg math style link meta base isindex marquee ' +
    'animate set handler vmlframe import bgsound xml xss'
  ).split(' '),
);
const urlAttributes = new Set(
  'src href xlink:href action formaction data background dynsrc lowsrc srcdoc from to values by attributename style'.split(
    ' ',
  ),
);
const scriptSchemes = ['javascript', 'vbscript', 'livescript', 'mocha', 'data'];

const isSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '/';
const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_:-]/.test(c);

/** Character references a browser decodes inside a URL attribute to a blank it drops from the scheme
 * (`ja&tab;vascript:`) or to the colon that ends it (`javascript&colon;`). */
const schemeEntity = /^&(?:(tab|newline)|(colon)|#0*(?:(9|10|13)|(58))|#x0*(?:(9|a|d)|(3a)));?/i;

/** Whether `v` starts (after blanks and control characters) with a script-capable URL scheme. */
function scriptUrl(v: string): boolean {
  let i = 0;
  while (i < v.length && (v.charCodeAt(i) <= 0x20 || v[i] === '"' || v[i] === "'")) i++;
  let word = '';
  for (let j = i; j < v.length && j < i + 60; j++) {
    let c = v[j] as string;
    if (c === '&') {
      const e = schemeEntity.exec(v.slice(j, j + 10));
      if (e === null) return false;
      j += e[0].length - 1;
      if (e[2] === undefined && e[4] === undefined && e[6] === undefined) continue;
      c = ':';
    }
    if (c === ':') return scriptSchemes.includes(word.toLowerCase());
    if (c === '\t' || c === '\n' || c === '\r') continue;
    if (!/[A-Za-z]/.test(c)) return false;
    word += c;
  }
  return false;
}

/** Attributes of a tag's text (between the name and `>`): names with their unquoted values. */
function attributes(seg: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < seg.length) {
    while (i < seg.length && (isSpace(seg[i]) || seg[i] === '"' || seg[i] === "'")) i++;
    const start = i;
    while (i < seg.length && !isSpace(seg[i]) && seg[i] !== '=' && seg[i] !== '"' && seg[i] !== "'") i++;
    if (i === start) {
      i++;
      continue;
    }
    const name = seg.slice(start, i).toLowerCase();
    let j = i;
    while (j < seg.length && isSpace(seg[j]) && seg[j] !== '/') j++;
    if (seg[j] !== '=') {
      out.push([name, '']);
      continue;
    }
    j++;
    while (j < seg.length && isSpace(seg[j])) j++;
    let value: string;
    if (seg[j] === '"' || seg[j] === "'" || seg[j] === '`') {
      const end = seg.indexOf(seg[j] as string, j + 1);
      value = seg.slice(j + 1, end < 0 ? seg.length : end);
      i = end < 0 ? seg.length : end + 1;
    } else {
      let k = j;
      while (k < seg.length && !isSpace(seg[k]) && seg[k] !== '/') k++;
      value = seg.slice(j, k);
      i = k;
    }
    out.push([name, value]);
  }
  return out;
}

/**
 * Whether `value` has CSS `url(` + a `javascript` URL, blanks and one quote allowed between. A scan, not a
 * regex: `url\s*\(\s*['"]?\s*javascript` backtracks quadratically on a long run of blanks (40,000 blanks
 * took 1.6 s), and every character here is the client's.
 */
const isBlank = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

function cssScriptUrl(value: string): boolean {
  const lower = value.toLowerCase();
  for (let at = lower.indexOf('url'); at >= 0; at = lower.indexOf('url', at + 3)) {
    let i = at + 3;
    while (i < lower.length && isBlank(lower.charCodeAt(i))) i++;
    if (lower[i] !== '(') continue;
    i++;
    while (i < lower.length && isBlank(lower.charCodeAt(i))) i++;
    if (lower[i] === '"' || lower[i] === "'") i++;
    while (i < lower.length && isBlank(lower.charCodeAt(i))) i++;
    if (lower.startsWith('javascript', i)) return true;
    // The blanks scanned cannot start another `url`: resume after them.
    at = Math.max(at, i - 3);
  }
  return false;
}

function badAttribute(name: string, value: string): string | undefined {
  if (name.startsWith('on') && name.length > 2) return `attribute ${name}`;
  if (urlAttributes.has(name) && (scriptUrl(value) || /expression\s*\(/i.test(value) || cssScriptUrl(value)))
    return `attribute ${name}`;
  return undefined;
}

/** The reason `input` reads as XSS, else undefined. */
export function detectXss(input: string): string | undefined {
  const s = input.indexOf('\0') < 0 ? input : input.replace(/\0/g, '');
  if (scriptUrl(s)) return 'script url';
  // Tags: each character is scanned once (a tag's text ends at the next `>` or `<`).
  let i = s.indexOf('<');
  while (i >= 0 && i < s.length) {
    let j = i + 1;
    // A tag name follows `<` or `</` at once (`< b` is text).
    if (s[j] === '/') j++;
    const nameStart = j;
    while (j < s.length && isWord(s[j])) j++;
    const name = s.slice(nameStart, j).toLowerCase();
    let end = j;
    while (end < s.length && s[end] !== '>' && s[end] !== '<') end++;
    if (name !== '' && /^[a-z:]/.test(name)) {
      // A namespaced name runs as its local name: `<v:vmlframe>` (not C++'s `<v8::Object>`).
      const colon = name.indexOf(':');
      const local = colon >= 0 && name.indexOf(':', colon + 1) < 0 ? name.slice(colon + 1) : name;
      if (dangerousTags.has(local)) return `tag ${name}`;
      for (const [a, v] of attributes(s.slice(j, end))) {
        const bad = badAttribute(a, v);
        if (bad !== undefined) return bad;
      }
    }
    i = end < s.length && s[end] === '<' ? end : s.indexOf('<', end);
  }
  // Inside a tag already (the input lands in an attribute value): after a quote or blank, `onxxx=`, or a URL
  // or style attribute set to a script URL (`style=background:url(javascript:…)`, also first in the input).
  let k = 0;
  while (k < s.length) {
    const before = s[k - 1];
    if (
      !/[A-Za-z]/.test(s[k] as string) ||
      (k > 0 && before !== '"' && before !== "'" && before !== '`' && !isSpace(before))
    ) {
      k++;
      continue;
    }
    let m = k;
    while (m < s.length && isWord(s[m])) m++;
    const name = s.slice(k, m).toLowerCase();
    let eq = m;
    while (eq < s.length && isSpace(s[eq]) && s[eq] !== '/') eq++;
    k = m;
    if (s[eq] !== '=') continue;
    if (name.startsWith('on') && name.length > 2 && /^[a-z]+$/.test(name)) {
      if (before !== undefined) return `attribute ${name}`;
      continue;
    }
    if (!urlAttributes.has(name)) continue;
    let v = eq + 1;
    while (v < s.length && isSpace(s[v])) v++;
    const q = s[v] === '"' || s[v] === "'" || s[v] === '`' ? (s[v] as string) : '';
    let w = q === '' ? v : v + 1;
    while (w < s.length && (q === '' ? !isSpace(s[w]) || s[w] === '/' : s[w] !== q)) w++;
    const bad = badAttribute(name, s.slice(q === '' ? v : v + 1, w));
    if (bad !== undefined) return bad;
  }
  return undefined;
}
