// False positives and detections of our @detectSQLi / @detectXSS detectors (src/gateway/waf/libinjection/).
// Benign side: the corpus of bench/benign-corpus.ts (docs on this machine and made-up form values) through
// detectSqli and detectXss alone, then through the whole CRS (../shared/crs) in blocking mode at paranoia
// levels 1 and 2, each value sent once as a query argument (`GET /search?q=…`) and once as a form field
// (`POST /submit`, `comment=…`): how many benign requests would be refused, and by which rules (every rule
// that matched on a refused request, the anomaly-scoring rules left out). Detection side: the CRS
// regression tests of 942100/942101 (SQLi via libinjection) and 941100/941101 (XSS via libinjection), run
// in-process on CRS's CI engine (scripts/conformance-crs.ts): a positive test is caught when its rule
// matched, a negative one is wrong when it did; then, for context, how many positive tests of the other
// 942xxx (941xxx) rules 942100 (941100) catches too.
// `npm run bench -- waf-detectors [--examples N] [--no-crs]`
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { buildCiEngine, buildRequest, parseRequest } from '../scripts/conformance-crs.ts';
import { crsFiles, detectSqli, detectXss, recommendedConfig, WafEngine } from '../src/gateway/waf/index.ts';
import { benignCorpus, type CorpusValue } from './benign-corpus.ts';
import { writeResults } from './results.ts';

const args = process.argv.slice(2);
const EXAMPLES = args.includes('--examples') ? Number(args[args.indexOf('--examples') + 1]) : 15;
const crsDir = fileURLToPath(new URL('../../shared/crs', import.meta.url));

const rate = (n: number, of: number) => `${((100 * n) / of).toFixed(2)}%`;

// ---- Benign corpus through the detectors alone ----

function detectorFalsePositives(
  corpus: readonly CorpusValue[],
  detect: (s: string) => string | undefined,
): Record<string, unknown> {
  const byKind: Record<string, { values: number; flagged: number }> = {};
  const examples: Array<{ kind: string; source: string; value: string; reason: string }> = [];
  let flagged = 0;
  const start = process.cpuUsage();
  for (const v of corpus) {
    const k = byKind[v.kind] ?? { values: 0, flagged: 0 };
    byKind[v.kind] = k;
    k.values++;
    const reason = detect(v.value);
    if (reason === undefined) continue;
    k.flagged++;
    flagged++;
    if (examples.length < EXAMPLES)
      examples.push({ kind: v.kind, source: v.source, value: v.value.slice(0, 200), reason });
  }
  const cpu = process.cpuUsage(start);
  return {
    flagged,
    rate: rate(flagged, corpus.length),
    byKind,
    cpuUsPerValue: Number(((cpu.user + cpu.system) / corpus.length).toFixed(2)),
    examples,
  };
}

// ---- Benign corpus through the whole CRS ----

/** Rules that only add up or report scores: left out of "which rules refused it". */
const scoring = (id: number) => id >= 949000 && id < 981000;

const headers: Array<[string, string]> = [
  ['Host', 'app.test'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
  ['Accept', 'text/html,application/xhtml+xml,*/*;q=0.8'],
  ['Accept-Language', 'en-US,en;q=0.5'],
];

/** RFC 1866 form encoding of one value. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

function crsFalsePositives(
  engine: WafEngine,
  corpus: readonly CorpusValue[],
  paranoia: number,
  as: 'query' | 'form',
): Record<string, unknown> {
  const rules = new Map<number, { count: number; msg: string }>();
  const byKind: Record<string, { values: number; blocked: number }> = {};
  const examples: Array<{ kind: string; value: string; rules: number[] }> = [];
  let blocked = 0;
  for (const v of corpus) {
    const k = byKind[v.kind] ?? { values: 0, blocked: 0 };
    byKind[v.kind] = k;
    k.values++;
    const tx = engine.newTransaction({
      id: 'bench-request',
      clientIp: '127.0.0.1',
      clientPort: 40000,
      site: 'app.test',
      ruleEngine: 'on',
      tx: { blocking_paranoia_level: String(paranoia) },
    });
    const body = as === 'form' ? `name=Jane+Doe&comment=${formEncode(v.value)}` : '';
    const head =
      as === 'query'
        ? { method: 'GET', uri: `/search?q=${formEncode(v.value)}&page=2`, protocol: 'HTTP/1.1', headers }
        : {
            method: 'POST',
            uri: '/submit',
            protocol: 'HTTP/1.1',
            headers: [
              ...headers,
              ['Content-Type', 'application/x-www-form-urlencoded'],
              ['Content-Length', String(body.length)],
            ] as Array<[string, string]>,
          };
    let i = tx.processRequestHeaders(head);
    if (i === null) i = tx.processRequestBody(body);
    if (i === null) continue;
    blocked++;
    k.blocked++;
    const ids = [...new Set(tx.matches.filter((m) => !scoring(m.id)).map((m) => m.id))];
    for (const m of tx.matches) {
      if (scoring(m.id) || !ids.includes(m.id)) continue;
      const r = rules.get(m.id) ?? { count: 0, msg: m.msg };
      r.count++;
      rules.set(m.id, r);
      ids.splice(ids.indexOf(m.id), 1);
    }
    if (examples.length < EXAMPLES)
      examples.push({
        kind: v.kind,
        value: v.value.slice(0, 200),
        rules: [...new Set(tx.matches.filter((m) => !scoring(m.id)).map((m) => m.id))],
      });
  }
  return {
    blocked,
    rate: rate(blocked, corpus.length),
    byKind,
    // Most frequent first (an array: an object would list integer keys in ascending order).
    rules: [...rules].sort((a, b) => b[1].count - a[1].count).map(([id, r]) => ({ id, ...r })),
    examples,
  };
}

// ---- CRS regression tests: detections ----

interface CrsTest {
  id: string;
  ruleId: number;
  stages: Array<{ input: Parameters<typeof buildRequest>[0]; expect: number[]; noExpect: number[] }>;
}

/** The CRS regression tests of the rule files whose names start with `prefix` (e.g. `REQUEST-942`). */
function crsTests(prefix: string): CrsTest[] {
  const dir = join(crsDir, 'tests', 'regression', 'tests');
  const out: CrsTest[] = [];
  for (const folder of readdirSync(dir).filter((f) => f.startsWith(prefix))) {
    for (const f of readdirSync(join(dir, folder)).sort()) {
      if (!f.endsWith('.yaml')) continue;
      const doc = parseYaml(readFileSync(join(dir, folder, f), 'utf8')) as {
        rule_id: number;
        tests: Array<{
          test_id: number;
          stages: Array<{
            input?: CrsTest['stages'][0]['input'];
            output?: { log?: { expect_ids?: number[]; no_expect_ids?: number[] } };
          }>;
        }>;
      };
      for (const t of doc.tests)
        out.push({
          id: `${doc.rule_id}-${t.test_id}`,
          ruleId: doc.rule_id,
          stages: t.stages.map((s) => ({
            input: s.input ?? {},
            expect: s.output?.log?.expect_ids ?? [],
            noExpect: s.output?.log?.no_expect_ids ?? [],
          })),
        });
    }
  }
  return out;
}

/** The ids of the rules that matched on each stage of `t`. */
function runTest(engine: WafEngine, t: CrsTest): Array<Set<number>> {
  return t.stages.map((st) => {
    const req = parseRequest(buildRequest(st.input));
    const tx = engine.newTransaction({
      clientIp: '127.0.0.1',
      clientPort: 40000,
      serverIp: '127.0.0.1',
      serverPort: 80,
    });
    tx.processRequestHeaders({ method: req.method, uri: req.uri, protocol: req.protocol, headers: req.headers });
    tx.processRequestBody(req.body);
    return new Set(tx.matches.map((m) => m.id));
  });
}

function detections(engine: WafEngine, prefix: string, own: number[], sibling: number): Record<string, unknown> {
  const tests = crsTests(prefix);
  const result: Record<string, unknown> = {};
  for (const rule of own) {
    const mine = tests.filter((t) => t.ruleId === rule);
    let positives = 0;
    let caught = 0;
    let negatives = 0;
    let wrong = 0;
    const missed: string[] = [];
    const falseHits: string[] = [];
    for (const t of mine) {
      const ids = runTest(engine, t);
      t.stages.forEach((st, i) => {
        const hit = ids[i]?.has(rule) ?? false;
        if (st.expect.includes(rule)) {
          positives++;
          if (hit) caught++;
          else missed.push(t.id);
        } else if (st.noExpect.includes(rule)) {
          negatives++;
          if (hit) {
            wrong++;
            falseHits.push(t.id);
          }
        }
      });
    }
    result[rule] = { positives, caught, missed, negatives, matchedNegatives: wrong, falseHits };
  }
  // Context: the other rules' attack tests that the libinjection rule catches as well.
  let others = 0;
  let alsoCaught = 0;
  for (const t of tests) {
    if (own.includes(t.ruleId)) continue;
    const ids = runTest(engine, t);
    t.stages.forEach((st, i) => {
      if (!st.expect.includes(t.ruleId)) return;
      others++;
      if (ids[i]?.has(sibling)) alsoCaught++;
    });
  }
  result[`otherPositiveTestsAlsoCaughtBy${sibling}`] = {
    tests: others,
    caught: alsoCaught,
    rate: rate(alsoCaught, others),
  };
  return result;
}

// ---- Run ----

const t0 = performance.now();
const corpus = benignCorpus();
const kinds: Record<string, number> = {};
for (const v of corpus) kinds[v.kind] = (kinds[v.kind] ?? 0) + 1;
const figures: Record<string, unknown> = {
  corpus: {
    values: corpus.length,
    byKind: kinds,
    sources: new Set(corpus.map((v) => v.source)).size,
    buildMs: Math.round(performance.now() - t0),
  },
  detectSqli: detectorFalsePositives(corpus, detectSqli),
  detectXss: detectorFalsePositives(corpus, detectXss),
};

if (!args.includes('--no-crs')) {
  const engine = new WafEngine({
    sources: [
      { name: 'recommended.conf', text: recommendedConfig() },
      ...crsFiles(crsDir).map((f) => ({ name: f, text: readFileSync(f, 'latin1') })),
    ],
  });
  for (const pl of [1, 2])
    for (const as of ['query', 'form'] as const)
      figures[`crsPl${pl}${as === 'query' ? 'Query' : 'Form'}`] = crsFalsePositives(engine, corpus, pl, as);
}

const ci = buildCiEngine(crsDir);
figures.detectionSqli = detections(ci, 'REQUEST-942', [942100, 942101], 942100);
figures.detectionXss = detections(ci, 'REQUEST-941', [941100, 941101], 941100);
figures.seconds = Math.round((performance.now() - t0) / 1000);
writeResults('waf-detectors', figures);
