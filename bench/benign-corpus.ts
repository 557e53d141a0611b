// A benign corpus for measuring WAF false positives, built at run time from text on this machine (nothing is
// downloaded, nothing generated is committed): prose and code lines from the README, CHANGELOG and doc files
// under node_modules and /usr/share/doc, and form values made from templates (names with apostrophes,
// addresses, emails, phones, prices, dates, search queries that sound like SQL, markdown, URLs, JSON, HTML-
// escaped text, passwords). Deterministic for a given machine: files are read in sorted order and sampled
// with a seeded generator.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { rng } from '../src/model/testing.ts';

/** What a value is: `prose` (a sentence or paragraph of documentation), `code` (a line of a fenced code
 * block or an indented example), `form` (a made-up form field value). */
export type CorpusKind = 'prose' | 'code' | 'form';

export interface CorpusValue {
  readonly kind: CorpusKind;
  /** Where it came from: a file path, or the form template's name. */
  readonly source: string;
  readonly value: string;
}

export interface BenignCorpusOptions {
  /** Directories whose doc files are read. @default ['node_modules', '/usr/share/doc'] */
  roots?: string[];
  /** At most this many prose values (sampled evenly). @default 6000 */
  maxProse?: number;
  /** At most this many code lines (sampled evenly). @default 2000 */
  maxCode?: number;
  /** How many form values to make (before duplicates are dropped). @default 6000 */
  formValues?: number;
  /** @default 1 */
  seed?: number;
}

const docName =
  /^(?:readme|changelog|history|news|changes|contributing|faq|usage)(?:\.(?:md|markdown|txt|rst))?(?:\.gz)?$|\.(?:md|markdown|rst)(?:\.gz)?$|^changelog\.debian\.gz$/i;

/** Doc files under `root`, sorted, at most 6 levels down, each at most 512 KB. */
function docFiles(root: string, depth = 0, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(root, n);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (depth < 6 && n !== '.bin' && n !== 'test' && n !== 'tests') docFiles(p, depth + 1, out);
    } else if (st.size < 512 * 1024 && docName.test(n)) out.push(p);
  }
  return out;
}

function readText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** Splits a doc into prose (paragraphs and their sentences) and code lines (fenced or 4-space indented). */
function extract(text: string, prose: string[], code: string[]): void {
  let fenced = false;
  let para: string[] = [];
  const flush = () => {
    const p = para.join(' ').replace(/\s+/g, ' ').trim();
    para = [];
    if (p.length < 12 || !/[a-z]{3}/i.test(p)) return;
    if (p.length <= 600) prose.push(p);
    for (const s of p.split(/(?<=[.!?])\s+(?=[A-Z"'(`*[])/))
      if (s.length >= 12 && s.length <= 300 && s !== p) prose.push(s);
  };
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(?:```|~~~)/.test(line)) {
      flush();
      fenced = !fenced;
      continue;
    }
    const t = line.trim();
    if (fenced || /^(?: {4}|\t)\S/.test(line)) {
      if (t.length >= 8 && t.length <= 200) code.push(t);
      if (!fenced) flush();
      continue;
    }
    if (t === '' || /^[-=*_]{3,}$/.test(t)) flush();
    else para.push(t);
  }
  flush();
}

/** Up to `n` items of `xs`, spread evenly over it (keeps every file represented). */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.floor((i * xs.length) / n)] as T);
  return out;
}

const firstNames = ['Jane', 'John', 'Seán', 'Zoë', 'Mary-Kate', 'Jean-Luc', 'Aoife', 'Łukasz', 'José', 'Renée', 'Ali'];
const lastNames = [
  "O'Brien",
  "D'Angelo",
  "O'Neil",
  "Dell'Acqua",
  "N'Dour",
  'Smith-Jones',
  'van der Berg',
  'MacDonald',
  "O'Connor-Hayes",
  'Nguyễn',
  'Le Gall',
];
const streets = [
  "O'Connell St.",
  'Union Street',
  'Select Ave',
  'Main St, Apt #4',
  "King's Road",
  "Rue de l'Église",
  '5th Ave. (rear entrance)',
  'Drop Lane',
  'Table Rock Rd',
];
const cities = [
  'Springfield',
  "Coeur d'Alene",
  'Union City',
  'Saint-Étienne',
  'Washington, D.C.',
  'Truth or Consequences',
  "L'Aquila",
];
const searches = [
  'select a plan',
  'drop shipping',
  'union station',
  '1 or 2 people',
  'and or not',
  'insert coin',
  'update my address',
  'delete account',
  'where is my order',
  'order by price',
  'table for 2',
  'group by size',
  'select all that apply',
  'create account',
  'union jack flag',
  'drop-down menu',
  'join us',
  'from $10',
  'having trouble logging in',
  'case sensitive',
  'null and void',
  'exec summary',
  'execute order',
  'sleep apnea',
  'benchmark results 2024',
  'like new condition',
  'between 5 and 10',
  'or best offer',
  'select or deselect',
  'union all employees',
  'grant application',
  'truncate text',
  'alter ego',
  'char siu',
  'concat strings',
  'if (and only if)',
  'waitfor it',
  'exists or not',
  'either/or',
  'and/or',
  'rock & roll',
  'salt & pepper',
  'fish & chips',
];
const phrases = [
  "I'd like to know if it's possible to change my order (it's #10442) to 2 units, not 1.",
  'Please select "Express" or "Standard" delivery, then click Update.',
  "Don't drop the table - it's an antique!",
  "We're open Mon-Fri 9am-5pm; Sat 10am-2pm (closed Sundays & holidays).",
  'Rating: 4/5 -- would buy again. 5 stars for shipping, 1 or 2 for packaging.',
  "Union members: select your delegate by 1 May; votes cast after that won't count.",
  "The kids' menu is 50% off (ages 12 and under) -- ask your server.",
  'Use code SAVE10 at checkout; offer ends 31/12 or while stocks last.',
  "Re: order #123 -- 'shipped' but not received?",
  'Price drop: was $49.99, now $39.99 (-20%).',
  "It's 5' 11\" tall and 2' wide.",
  'Note to self: update the "where" clause before we go live, or not.',
  'Q: can I insert a SIM card from another carrier? A: yes, unless locked.',
  "My daughter's name is O'Hara; please spell it right this time.",
  'The meeting is at 10:30 -- room 2B (not 2A); bring the agenda & minutes.',
];
const markdown = [
  '**Bold** and _italic_ and `code`',
  '- item one\n- item two\n- item three',
  '> quoted text from the previous post',
  '[link text](https://example.com/page?id=1&sort=desc)',
  '# Heading\n\nSome text.',
  '1. first\n2. second',
  '![alt text](/images/cat.png "A cat")',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '~~strike~~ that; use `--force` instead',
];
const jsonSnippets = [
  '{"name":"O\'Brien","age":42}',
  '{"q":"union station","page":2}',
  '[1, 2, 3]',
  '{"a": {"b": null}}',
  '{"query": "select a plan", "or": true}',
  '{"price": "$10 - $20", "tags": ["sale", "new"]}',
];
const htmlEscaped = [
  'Tom &amp; Jerry',
  '&lt;b&gt;bold&lt;/b&gt;',
  'x &lt; y &amp;&amp; y &gt; z',
  '&quot;quoted&quot; &#39;text&#39;',
  'caf&eacute; cr&egrave;me',
  '5 &gt; 3 and 2 &lt; 4',
  'a <= b',
  '<3 this!',
  'I <3 NY',
  '-->',
  '<-- back',
];

/** Form values from templates; `rnd` picks the parts. */
function formValues(n: number, rnd: () => number): CorpusValue[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const templates: Record<string, () => string> = {
    name: () => `${pick(firstNames)} ${pick(lastNames)}`,
    address: () => `${int(1, 9999)} ${pick(streets)}, ${pick(cities)} ${int(10000, 99999)}`,
    email: () =>
      `${pick(firstNames)
        .toLowerCase()
        .replace(/[^a-z]/g, '')}.${pick(lastNames)
        .toLowerCase()
        .replace(
          /[^a-z']/g,
          '',
        )}${pick(['', '+news', '_1', '-2024'])}@${pick(['example.com', 'mail.example.ie', 'uni.example.edu'])}`,
    phone: () =>
      pick([
        `+1 (${int(200, 999)}) ${int(200, 999)}-${int(1000, 9999)}`,
        `0${int(10, 99)} ${int(100, 999)} ${int(1000, 9999)}`,
        `${int(200, 999)}-${int(1000, 9999)} ext. ${int(1, 99)}`,
        `+44 (0)${int(20, 99)} ${int(1000, 9999)} ${int(1000, 9999)}`,
      ]),
    price: () =>
      pick([
        `$${int(1, 9999)}.${int(10, 99)}`,
        `€ ${int(1, 999)},${int(10, 99)}`,
        `${int(1, 99)}% off`,
        `-${int(1, 50)}%`,
        `£${int(1, 9)},${int(100, 999)}`,
      ]),
    date: () =>
      pick([
        `${int(2000, 2030)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
        `${int(1, 12)}/${int(1, 28)}/${int(2000, 2030)}`,
        `${int(1, 28)}.${int(1, 12)}.${int(2000, 2030)}`,
        `${pick(['Mon', 'Tue', 'Fri'])}, ${int(1, 28)} ${pick(['Jan', 'Mar', 'Oct'])} ${int(2000, 2030)} ${int(0, 23)}:${String(int(0, 59)).padStart(2, '0')}`,
      ]),
    search: () =>
      pick([pick(searches), `${pick(searches)} ${pick(cities)}`, `"${pick(searches)}"`, `${pick(searches)}?`]),
    sentence: () => pick(phrases),
    markdown: () => pick(markdown),
    url: () =>
      pick([
        `https://www.example.com/${pick(['search', 'p', 'union-station', 'select'])}?q=${pick(searches).replace(/ /g, '+')}&page=${int(1, 9)}`,
        `http://example.org/a/b/c.html#section-${int(1, 9)}`,
        `/products/${int(1, 999)}/reviews?sort=-date&filter[rating]=${int(1, 5)}`,
        `mailto:${pick(firstNames).toLowerCase()}@example.com?subject=Hi%20there`,
      ]),
    json: () => pick(jsonSnippets),
    html: () => pick(htmlEscaped),
    password: () => {
      const cs = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$%^&*()-_=+[]{};:,.<>/?~|\'"';
      let s = '';
      for (let i = int(10, 20); i > 0; i--) s += cs[Math.floor(rnd() * cs.length)];
      return s;
    },
    number: () =>
      pick([
        `${int(1, 9)} or ${int(2, 12)}`,
        `${int(1, 99)}-${int(100, 999)}`,
        `#${int(1, 99999)}`,
        `${int(1, 9)}x${int(1, 9)}`,
        `${int(1, 9)}'${int(0, 11)}"`,
      ]),
  };
  const names = Object.keys(templates);
  const out: CorpusValue[] = [];
  for (let i = 0; i < n; i++) {
    const t = names[i % names.length] as string;
    out.push({ kind: 'form', source: t, value: (templates[t] as () => string)() });
  }
  return out;
}

/** The corpus: prose, then code, then form values; duplicates removed. */
export function benignCorpus(options: BenignCorpusOptions = {}): CorpusValue[] {
  const roots = options.roots ?? ['node_modules', '/usr/share/doc'];
  const prose: CorpusValue[] = [];
  const code: CorpusValue[] = [];
  for (const root of roots)
    for (const f of docFiles(root)) {
      const p: string[] = [];
      const c: string[] = [];
      try {
        extract(readText(f), p, c);
      } catch {
        continue;
      }
      for (const value of spread(p, 60)) prose.push({ kind: 'prose', source: f, value });
      for (const value of spread(c, 20)) code.push({ kind: 'code', source: f, value });
    }
  const seen = new Set<string>();
  const out: CorpusValue[] = [];
  const add = (xs: CorpusValue[]) => {
    for (const x of xs)
      if (!seen.has(x.value)) {
        seen.add(x.value);
        out.push(x);
      }
  };
  const dedupe = (xs: CorpusValue[]) => {
    const values = new Set<string>();
    return xs.filter((x) => !values.has(x.value) && values.add(x.value) !== undefined);
  };
  add(spread(dedupe(prose), options.maxProse ?? 6000));
  add(spread(dedupe(code), options.maxCode ?? 2000));
  add(formValues(options.formValues ?? 6000, rng(options.seed ?? 1)));
  return out;
}
