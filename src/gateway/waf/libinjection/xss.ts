/**
 * XSS detection in the spirit of libinjection's HTML5 check (our own reduced version): the input is scanned
 * as HTML in the contexts it may land in (text, inside a tag, inside an attribute value), and flagged when
 * it opens a script-capable tag, sets an event-handler attribute, or puts a script URL or a CSS expression
 * in an attribute. Hand-written scanning, linear in the input: no backtracking regex sees user data.
 */

const dangerousTags = new Set(
  (
    'script iframe frame frameset object embed applet svg math style link meta base isindex marquee template ' +
    'animate set handler vmlframe import bgsound xml xss video audio source image'
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

/** Whether `v` starts (after blanks and control characters) with a script-capable URL scheme. */
function scriptUrl(v: string): boolean {
  let i = 0;
  while (i < v.length && (v.charCodeAt(i) <= 0x20 || v[i] === '"' || v[i] === "'")) i++;
  let word = '';
  for (let j = i; j < v.length && j < i + 40; j++) {
    const c = v[j] as string;
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

function badAttribute(name: string, value: string): string | undefined {
  if (name.startsWith('on') && name.length > 2) return `attribute ${name}`;
  if (urlAttributes.has(name) && (scriptUrl(value) || /expression\s*\(|url\s*\(\s*['"]?\s*javascript/i.test(value)))
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
    while (j < s.length && (s[j] === ' ' || s[j] === '/' || s[j] === '\t')) j++;
    const nameStart = j;
    while (j < s.length && isWord(s[j])) j++;
    const name = s.slice(nameStart, j).toLowerCase();
    let end = j;
    while (end < s.length && s[end] !== '>' && s[end] !== '<') end++;
    if (name !== '' && /^[a-z]/.test(name)) {
      if (dangerousTags.has(name)) return `tag ${name}`;
      for (const [a, v] of attributes(s.slice(j, end))) {
        const bad = badAttribute(a, v);
        if (bad !== undefined) return bad;
      }
    }
    i = end < s.length && s[end] === '<' ? end : s.indexOf('<', end);
  }
  // Inside a tag already (the input lands in an attribute value): a quote or blank, then `onxxx=`.
  const lower = s.toLowerCase();
  for (let k = lower.indexOf('on'); k >= 0; k = lower.indexOf('on', k + 2)) {
    const before = s[k - 1];
    if (k > 0 && before !== '"' && before !== "'" && before !== '`' && !isSpace(before)) continue;
    let m = k + 2;
    while (m < s.length && /[A-Za-z]/.test(s[m] as string)) m++;
    if (m === k + 2) continue;
    while (m < s.length && isSpace(s[m]) && s[m] !== '/') m++;
    if (s[m] === '=' && k > 0) return `attribute ${s.slice(k, m).trim()}`;
  }
  return undefined;
}
