// CPU cost of the WAF engine per benign request, in process: CRS (../shared/crs) at paranoia level 1 in
// blocking mode, loaded once as the gateway loads it, then the gateway bench's benign GET and 1 KB form POST
// run through all five phases (response: 200 text/plain, as the bench backend answers). Each round runs
// REQUESTS transactions of one kind; figures are the median and best of ROUNDS rounds after a warm-up, in µs
// of process CPU (user + system, `process.cpuUsage()`) per request. `getVaried` is the GET with a query value
// that differs on every request (its construction is included). Every request must end without a match
// and an attack probe must be refused, or the bench fails.
// `npm run bench -- waf [--requests N] [--rounds N]`
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crsFiles, recommendedConfig, WafEngine } from '../src/gateway/waf/index.ts';
import { benignGetPath, browserHeaders, formBody } from './benign-requests.ts';
import { writeResults } from './results.ts';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const REQUESTS = flag('requests', 2000);
const ROUNDS = flag('rounds', 7);
const crsDir = fileURLToPath(new URL('../../shared/crs', import.meta.url));

const headers = browserHeaders.map(([k, v]): [string, string] => [k, v]);

interface Workload {
  readonly method: string;
  readonly uri: string;
  readonly headers: Array<[string, string]>;
  readonly body: string;
}

const post = formBody();
const workloads: Record<'get' | 'post' | 'attack', Workload> = {
  get: { method: 'GET', uri: benignGetPath, headers, body: '' },
  post: {
    method: 'POST',
    uri: '/submit',
    headers: [
      ...headers,
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Content-Length', String(post.length)],
    ],
    body: post,
  },
  attack: { method: 'GET', uri: '/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--', headers, body: '' },
};

const loadStart = performance.now();
const engine = new WafEngine({
  sources: [
    { name: 'recommended.conf', text: recommendedConfig() },
    ...crsFiles(crsDir).map((f) => ({ name: f, text: readFileSync(f, 'latin1') })),
  ],
});
const loadMs = performance.now() - loadStart;

/** Runs one transaction through all phases; returns the interrupting rule id (0: none) and the match count. */
function run(w: Workload): { ruleId: number; matches: number } {
  // The gateway hands the WAF its request id; without one the engine would draw a random one.
  const tx = engine.newTransaction({
    id: 'bench-request',
    clientIp: '127.0.0.1',
    clientPort: 40000,
    site: 'app.test',
    ruleEngine: 'on',
    tx: { blocking_paranoia_level: '1' },
  });
  let i = tx.processRequestHeaders({ method: w.method, uri: w.uri, protocol: 'HTTP/1.1', headers: w.headers });
  if (i === null) i = tx.processRequestBody(w.body);
  if (i === null) i = tx.processResponseHeaders(200, 'HTTP/1.1', [['content-type', 'text/plain']]);
  if (i === null) i = tx.processResponseBody('hello from the backend');
  tx.processLogging();
  return { ruleId: i?.ruleId ?? 0, matches: tx.matches.length };
}

function check(): void {
  for (const name of ['get', 'post'] as const) {
    const r = run(workloads[name]);
    if (r.ruleId !== 0 || r.matches !== 0) throw new Error(`benign ${name} matched: ${JSON.stringify(r)}`);
  }
  const a = run(workloads.attack);
  if (a.ruleId === 0) throw new Error('the attack probe was not refused: is blocking mode on?');
}

/** A GET whose query value differs on every request: the engine's cross-request caches cannot answer it. */
let unique = 0;
const varied = (): Workload => ({ ...workloads.get, uri: `/search?q=benign+words+${unique++}&page=2` });

function round(w: Workload | 'varied'): number {
  const start = process.cpuUsage();
  for (let n = 0; n < REQUESTS; n++) run(w === 'varied' ? varied() : w);
  const d = process.cpuUsage(start);
  return (d.user + d.system) / REQUESTS;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

check();
const figures: Record<string, unknown> = {
  crsDir,
  paranoiaLevel: 1,
  rules: engine.ruleCount,
  skippedRules: engine.skippedRules.length,
  loadMs: Math.round(loadMs),
  requestsPerRound: REQUESTS,
  rounds: ROUNDS,
};
for (const name of ['get', 'post', 'getVaried'] as const) {
  const w = name === 'getVaried' ? 'varied' : workloads[name];
  round(w);
  round(w);
  const us: number[] = [];
  for (let r = 0; r < ROUNDS; r++) us.push(round(w));
  figures[name] = { cpuUsPerRequestMedian: Math.round(median(us)), cpuUsPerRequestBest: Math.round(Math.min(...us)) };
}
check();
writeResults('waf', figures);
