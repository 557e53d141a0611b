/**
 * The gateway against nginx: wrk (1 thread, keep-alive) on loopback drives a benign GET with a query string and
 * a benign 1 KB form POST against a local node:http backend directly, through nginx alone, nginx + ModSecurity
 * v3 + CRS (paranoia level 1, blocking), and `vigil gateway` (built, from dist/) with the WAF off and with the
 * same CRS at paranoia level 1 in blocking mode. The gateway listens with TLS only (its plain listener just
 * redirects), so nginx is measured both plain and with TLS (a self-signed ECDSA P-256 certificate made by
 * openssl, as vigil makes its own). Figures per row and workload: requests/s, p50/p99 latency, and the proxy's
 * CPU time per request (utime+stime from /proc over the run: nginx master + worker, the vigil process; the
 * backend's own for the direct row). Each case is checked first with one request that must answer 200; wrk's
 * non-2xx count is kept too (a 403 on these benign requests would be a WAF false positive).
 *
 *   npm run bench -- gateway [--duration 10] [--warmup 3] [--connections 8] [--cpu-prof]
 *
 * `--cpu-prof` also runs vigil with CRS under `node --cpu-prof` and summarises where its time goes during the
 * measured GET and POST runs. Needs wrk, nginx, Debian's ModSecurity module and openssl: when one is missing it
 * prints the apt-get command and exits 2. Extra rows: vigil with its access log off; backend CPU per request.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benignGetPath, browserHeaders, formBody } from './benign-requests.ts';
import { modsecurityModule, type RunningNginx, selfSignedCert, startNginx } from './gateway-nginx.ts';
import { type ProfileSummary, summariseProfile } from './gateway-profile.ts';
import { childPids, loadAverage, type Measured, measure, type WrkOptions } from './gateway-wrk.ts';
import { writeResults } from './results.ts';

const onPath = (bin: string) => (process.env.PATH ?? '').split(delimiter).some((d) => existsSync(join(d, bin)));
/** What the bench runs, and the Debian package that brings it. */
const needs: Array<[present: boolean, what: string, pkg: string]> = [
  [onPath('wrk'), 'wrk', 'wrk'],
  [onPath('nginx'), 'nginx', 'nginx'],
  [existsSync(modsecurityModule), modsecurityModule, 'libnginx-mod-http-modsecurity'],
  [onPath('openssl'), 'openssl', 'openssl'],
];
const missing = needs.filter(([present]) => !present);
if (missing.length > 0) {
  const pkgs = [...new Set(missing.map(([, , pkg]) => pkg))].join(' ');
  console.error(
    `gateway bench: missing ${missing.map(([, what]) => what).join(', ')}; install with (as root):\n  apt-get install -y -qq ${pkgs}`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const durationS = flag('duration', 10);
const warmupS = flag('warmup', 3);
const connections = flag('connections', 8);
const cpuProf = args.includes('--cpu-prof');
const root = fileURLToPath(new URL('..', import.meta.url));
/** The CRS copy in ../shared, beside the project. */
const crsDir = fileURLToPath(new URL('../../shared/crs', import.meta.url));
const vigilBin = join(root, 'bin/vigil.js');
if (!existsSync(join(root, 'dist/cli/main.js'))) {
  console.error('gateway bench: vigil is not built: run `npm run build` first');
  process.exit(1);
}

/** Headers a browser would send; the same on every row. */
const headers = browserHeaders.map(([k, v]) => `${k}: ${v}`);

interface Workload {
  name: 'get' | 'post';
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  script?: string;
}

interface Target {
  row: string;
  /** `http://127.0.0.1:PORT` or `https://...`. */
  base: string;
  /** The processes whose CPU counts for the row. */
  pids: () => number[];
  /** The WAF's log of rule matches (nginx's error log, vigil's audit log): benign requests must add nothing. */
  log?: () => string;
  /** A WAF row: an attack probe must be refused with 403 (blocking mode is really on). */
  waf?: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

/** One request as wrk sends it; resolves with the status and body. */
function probe(base: string, w: Workload): Promise<{ status: number; body: string }> {
  const url = new URL(w.path, base);
  const h: Record<string, string> = {};
  for (const line of headers) {
    const i = line.indexOf(':');
    h[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  if (w.body !== undefined) {
    h['Content-Type'] = 'application/x-www-form-urlencoded';
    h['Content-Length'] = String(Buffer.byteLength(w.body));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: w.method, headers: h, rejectUnauthorized: false, servername: 'app.test' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(w.body);
  });
}

/** Starts `node argv…` in `root`, resolving once its output matches `ready`; output stays readable. */
function startNode(
  argv: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let done = false;
  const on = (d: Buffer) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', on);
  child.stderr?.on('data', on);
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = out.match(ready);
      if (m && !done) {
        done = true;
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        resolve({ child, match: m, output: () => out });
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', (code) => {
      if (!done) reject(new Error(`exited ${code} before ready:\n${out.slice(-4000)}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-gw-'));
const children: ChildProcess[] = [];
const workloads: Workload[] = [
  { name: 'get', method: 'GET', path: benignGetPath },
  { name: 'post', method: 'POST', path: '/submit', body: formBody() },
];
const postScript = join(dir, 'post.lua');
writeFileSync(
  postScript,
  `wrk.method = "POST"\nwrk.body = "${workloads[1]?.body}"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n`,
);
(workloads[1] as Workload).script = postScript;

type Row = Partial<Record<Workload['name'], Measured & { probeStatus: number; attackProbeStatus?: number }>> & {
  notes?: string[];
};
const rows: Record<string, Row> = {};
const falsePositives: string[] = [];

async function run(t: Target, backendPid: number | undefined): Promise<void> {
  const row: Row = { notes: [] };
  rows[t.row] = row;
  const attackStatus = new Map<string, number>();
  if (t.waf) {
    for (const w of workloads) {
      const attack = await probe(t.base, {
        ...w,
        path: `${w.path.split('?')[0]}?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
      });
      attackStatus.set(w.name, attack.status);
      if (attack.status !== 403) row.notes?.push(`${w.name}: attack probe answered ${attack.status}, not 403`);
    }
  }
  if (t.waf) await new Promise((r) => setTimeout(r, 500)); // the attack probes' log lines are written after the response
  const logFrom = t.log?.().length ?? 0;
  for (const w of workloads) {
    const p = await probe(t.base, w);
    if (p.status !== 200) falsePositives.push(`${t.row} ${w.method} ${w.path}: probe answered ${p.status}`);
    const o: WrkOptions & { warmupS: number } = { durationS, warmupS, connections, headers };
    if (w.script !== undefined) o.script = w.script;
    const m = measure(`${t.base}${w.path}`, o, t.pids, backendPid);
    const attackProbeStatus = attackStatus.get(w.name);
    row[w.name] = { ...m, probeStatus: p.status, ...(attackProbeStatus === undefined ? {} : { attackProbeStatus }) };
    if (m.non2xx > 0) falsePositives.push(`${t.row} ${w.method}: wrk saw ${m.non2xx} non-2xx/3xx responses`);
    console.error(
      `${t.row} ${w.name}: ${m.requestsPerSecond} req/s, p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms, ${m.cpuUsPerRequest} µs CPU/req (load ${m.loadAfter.join(' ')})`,
    );
  }
  const logged = (t.log?.() ?? '')
    .slice(logFrom)
    .split('\n')
    .filter((l) => /ModSecurity|"request_id"/.test(l) && !/%3Cscript%3E|<script>/.test(l))
    .join('\n');
  if (logged !== '') {
    const ids = [...new Set([...logged.matchAll(/\[id "(\d+)"\]|"id":\s*"?(\d+)/g)].map((x) => x[1] ?? x[2]))];
    falsePositives.push(`${t.row}: rules matched benign requests: ${ids.join(', ')}; first: ${logged.slice(0, 600)}`);
  }
}

function vigilConfig(name: string, backendPort: number, o: { waf: boolean; accessLog: boolean }): string {
  const file = join(dir, `${name}.yml`);
  const waf = o.waf
    ? `{ enabled: true, mode: blocking, paranoia_level: 1, crs_dir: '${crsDir}' }`
    : '{ enabled: false }';
  writeFileSync(
    file,
    [
      'gateway:',
      '  listen: 127.0.0.1:0',
      '  redirect_listen: none',
      '  metrics_listen: none',
      `  access_log: ${o.accessLog}`,
      `  audit_log: { path: '${join(dir, `${name}-audit.log`)}' }`,
      '  sites:',
      '    - hosts: [app.test]',
      `      upstreams: [{ url: 'http://127.0.0.1:${backendPort}' }]`,
      `      waf: ${waf}`,
    ].join('\n'),
  );
  return file;
}

async function startVigil(name: string, config: string, nodeFlags: string[] = []) {
  const gw = await startNode(
    [...nodeFlags, vigilBin, 'gateway', '--config', config, '--data-dir', join(dir, `data-${name}`)],
    /"msg":"vigil gateway is ready".*"https":(\d+)/,
  );
  children.push(gw.child);
  const pid = gw.child.pid as number;
  const audit = join(dir, `${name}-audit.log`);
  return {
    gw,
    target: (row: string): Target => ({
      row,
      base: `https://127.0.0.1:${gw.match[1]}`,
      pids: () => [pid],
      log: () => (existsSync(audit) ? readFileSync(audit, 'utf8') : ''),
    }),
  };
}

/** Runs vigil with CRS under --cpu-prof and summarises the measured run of each workload. */
async function profileVigil(backendPort: number): Promise<Record<string, ProfileSummary>> {
  const out: Record<string, ProfileSummary> = {};
  for (const w of workloads) {
    const profDir = join(dir, `prof-${w.name}`);
    mkdirSync(profDir);
    const v = await startVigil(
      `prof-${w.name}`,
      vigilConfig(`prof-${w.name}`, backendPort, { waf: true, accessLog: true }),
      ['--cpu-prof', '--cpu-prof-dir', profDir],
    );
    const t = v.target('profile');
    const o: WrkOptions & { warmupS: number } = { durationS, warmupS, connections, headers };
    if (w.script !== undefined) o.script = w.script;
    // measure() warms up first; sample only the measured run, which starts about warmupS from now.
    const from = Number(process.hrtime.bigint() / 1000n) + warmupS * 1e6 + 200_000;
    const m = measure(`${t.base}${w.path}`, o, t.pids);
    const to = Number(process.hrtime.bigint() / 1000n);
    await stop(v.gw.child);
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`no .cpuprofile in ${profDir}`);
    out[w.name] = summariseProfile(join(profDir, file), from, to);
    console.error(`profiled ${w.name}: ${m.requestsPerSecond} req/s, ${m.cpuUsPerRequest} µs CPU/req under --cpu-prof`);
  }
  return out;
}

const fmt = (m: Measured | undefined) =>
  m === undefined
    ? '-'
    : `${m.requestsPerSecond.toFixed(0).padStart(6)} ${m.p50Ms.toFixed(2).padStart(6)} ${m.p99Ms.toFixed(2).padStart(6)} ${m.cpuUsPerRequest.toFixed(0).padStart(6)}`;

try {
  const loadBefore = loadAverage();
  const backend = await startNode(
    [
      '-e',
      `const s = require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => { r.writeHead(200, { 'content-type': 'text/plain' }); r.end('hello from the backend'); }); });
       s.keepAliveTimeout = 60000; s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));`,
    ],
    /port (\d+)/,
  );
  children.push(backend.child);
  const backendPort = Number(backend.match[1]);
  const backendPid = backend.child.pid as number;
  await run({ row: 'backend direct', base: `http://127.0.0.1:${backendPort}`, pids: () => [backendPid] }, undefined);

  const tls = selfSignedCert(dir);
  for (const modsec of [false, true]) {
    for (const useTls of [false, true]) {
      const name = `nginx${modsec ? '-modsec' : ''}${useTls ? '-tls' : ''}`;
      const port = await freePort();
      const opts: Parameters<typeof startNginx>[0] = { dir: join(dir, name), port, backendPort };
      if (useTls) opts.tls = tls;
      if (modsec) opts.crsDir = crsDir;
      const nginx: RunningNginx = await startNginx(opts);
      children.push(nginx.child);
      const master = nginx.child.pid as number;
      const row = `${modsec ? 'nginx+ModSecurity+CRS PL1' : 'nginx'} (${useTls ? 'TLS' : 'HTTP'})`;
      await run(
        {
          row,
          base: `${useTls ? 'https' : 'http'}://127.0.0.1:${port}`,
          pids: () => [master, ...childPids(master)],
          log: nginx.errorLog,
          waf: modsec,
        },
        backendPid,
      );
      const loaded = /ModSecurity-nginx[^\n]*rules loaded[^\n]*/.exec(nginx.errorLog())?.[0];
      if (loaded !== undefined) rows[row]?.notes?.push(loaded);
      await stop(nginx.child);
    }
  }

  for (const [name, row, o] of [
    ['proxy', 'vigil proxy, WAF off (TLS)', { waf: false, accessLog: true }],
    ['proxy-nolog', 'vigil proxy, WAF off, access log off (TLS)', { waf: false, accessLog: false }],
    ['crs', 'vigil CRS PL1 blocking (TLS)', { waf: true, accessLog: true }],
  ] as const) {
    const v = await startVigil(name, vigilConfig(name, backendPort, o));
    await run({ ...v.target(row), waf: o.waf }, backendPid);
    const loaded = /"msg":"waf rules loaded"[^\n]*/.exec(v.gw.output())?.[0];
    if (loaded !== undefined) (rows[row]?.notes ?? []).push(loaded);
    await stop(v.gw.child);
  }

  const profile = cpuProf ? await profileVigil(backendPort) : undefined;
  const loadAfter = loadAverage();
  writeResults('gateway', {
    durationS,
    warmupS,
    connections,
    wrkThreads: 1,
    headers,
    workloads: workloads.map(({ name, method, path, body }) => ({ name, method, path, bodyBytes: body?.length ?? 0 })),
    loadBefore,
    loadAfter,
    rows,
    falsePositives,
    ...(profile === undefined ? {} : { profile }),
  });
  console.log(`\n${''.padEnd(44)} ${'GET'.padEnd(27)} POST 1 KB form`);
  console.log(`${'row'.padEnd(44)} ${'req/s    p50    p99 CPU µs'.padEnd(27)} req/s    p50    p99 CPU µs`);
  for (const [name, r] of Object.entries(rows))
    console.log(`${name.padEnd(44)} ${fmt(r.get).padEnd(27)} ${fmt(r.post)}`);
  console.log(`(latency in ms; CPU µs per request of the proxy, or of the backend on the direct row)`);
  console.log(`load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}`);
  console.log(
    falsePositives.length === 0 ? 'no false positives' : `FALSE POSITIVES:\n  ${falsePositives.join('\n  ')}`,
  );
} finally {
  await Promise.all(children.map(stop));
  rmSync(dir, { recursive: true, force: true });
}
