// The scrape benchmark's targets, run as a child process so that their CPU is not the scraper's: one HTTP
// server per target on 127.0.0.1 (each its own port, so every target is its own host:port as in production),
// each serving a node_exporter-like body (bench/scrape-exporter.ts) whose values move on at every request, gzip
// encoded when the request accepts it (as node_exporter does).
// Usage: node --import tsx bench/scrape-targets.ts TARGETS SERIES [--no-gzip]. Prints one JSON line
// `{"ports":[…]}` once every server listens; then, for each `stats` line on stdin, one JSON line with the
// requests served, body bytes sent and this process's CPU time. Exits when stdin closes or on SIGTERM.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { ExporterBody } from './scrape-exporter.ts';

const [targets, series] = process.argv.slice(2, 4).map(Number) as [number, number];
const gzip = !process.argv.includes('--no-gzip');
const contentType = 'text/plain; version=0.0.4; charset=utf-8';
let requests = 0;
let plainBytes = 0;
let sentBytes = 0;

function serve(body: ExporterBody): Promise<Server> {
  const server = createServer((req, res) => {
    const text = Buffer.from(body.next());
    requests++;
    plainBytes += text.length;
    const zipped = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const out = zipped ? gzipSync(text) : text;
    sentBytes += out.length;
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': out.length,
      ...(zipped ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(out);
  });
  server.keepAliveTimeout = 120_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const servers: Server[] = [];
for (let i = 0; i < targets; i++) servers.push(await serve(new ExporterBody(series, i + 1)));
process.stdout.write(`${JSON.stringify({ ports: servers.map((s) => (s.address() as AddressInfo).port) })}\n`);

const exit = () => {
  for (const s of servers) s.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', exit);
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const cpu = process.cpuUsage();
  const stats = { requests, plainBytes, sentBytes, cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage().rss };
  process.stdout.write(`${JSON.stringify(stats)}\n`);
});
input.on('close', exit);
