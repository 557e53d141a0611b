/**
 * The gateway's proxy cost: wrk drives a benign GET with a query string against the backend directly, then
 * through `vigil gateway` (TLS, HTTP/1.1 keep-alive, WAF off), with the access log off and on. Figures:
 * requests/s, p50/p99 latency, and the gateway's CPU time per request (utime+stime from /proc/PID/stat over
 * the run ÷ requests). Needs `wrk` (apt-get install wrk).
 *
 *   npm run bench -- gateway [--duration 10] [--connections 16]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './results.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const durationS = flag('duration', 10);
const connections = flag('connections', 16);
const root = fileURLToPath(new URL('..', import.meta.url));
const path = '/search?q=hello+world&page=2&sort=desc';
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

function start(argv: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const on = (d: Buffer) => {
      if (out.length < 100_000) out += d;
      const m = out.match(ready);
      if (m) {
        child.stdout?.off('data', on);
        child.stderr?.off('data', on);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, match: m });
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
  });
}

interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

function wrk(url: string): WrkResult {
  const out = execFileSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', '-H', 'Host: app.test', url],
    { encoding: 'utf8' },
  );
  if (!/ requests in /.test(out) || / 0 requests in /.test(out)) throw new Error(`wrk failed:\n${out}`);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
  return {
    requests: num(/(\d+) requests in/),
    requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    p99Ms: toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
  };
}

async function measure(url: string, pid: number): Promise<WrkResult & { cpuUsPerRequest: number }> {
  wrk(url.replace(/\?.*/, '')); // warm up (JIT, pools)
  const before = cpuSeconds(pid);
  const r = wrk(url);
  const cpu = cpuSeconds(pid) - before;
  return { ...r, cpuUsPerRequest: Math.round((cpu / r.requests) * 1e7) / 10 };
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-gw-'));
const children: ChildProcess[] = [];
try {
  const backend = await start(
    [
      '-e',
      `const s = require('node:http').createServer((q, r) => { r.writeHead(200, { 'content-type': 'text/plain' }); r.end('hello from the backend'); });
       s.keepAliveTimeout = 60000; s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));`,
    ],
    /port (\d+)/,
  );
  children.push(backend.child);
  const backendPort = Number(backend.match[1]);
  const figures: Record<string, unknown> = { durationS, connections, path };
  figures.direct = await measure(`http://127.0.0.1:${backendPort}${path}`, backend.child.pid as number);
  for (const accessLog of [true, false]) {
    const config = join(dir, `vigil-${accessLog}.yml`);
    writeFileSync(
      config,
      [
        'gateway:',
        '  listen: 127.0.0.1:0',
        '  redirect_listen: none',
        '  metrics_listen: none',
        `  access_log: ${accessLog}`,
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: 'http://127.0.0.1:${backendPort}' }]`,
      ].join('\n'),
    );
    const gw = await start(
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { main } = await import(${JSON.stringify(join(root, 'src/cli/main.ts'))}); process.exit(await main(process.argv.slice(1)));`,
        'gateway',
        '--config',
        config,
        '--data-dir',
        join(dir, 'data'),
      ],
      /"msg":"vigil gateway is ready".*"https":(\d+)/,
    );
    children.push(gw.child);
    figures[accessLog ? 'proxyAccessLog' : 'proxy'] = await measure(
      `https://127.0.0.1:${gw.match[1]}${path}`,
      gw.child.pid as number,
    );
    gw.child.kill('SIGTERM');
  }
  writeResults('gateway', figures);
} finally {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
