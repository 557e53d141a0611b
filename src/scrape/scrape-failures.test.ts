import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ExpositionParseError } from '../exposition/index.ts';
import { createLogger } from '../log/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import { ScrapeManager } from './manager.ts';
import {
  BodySizeLimitError,
  HttpStatusError,
  LabelLimitError,
  ScrapeRequestError,
  ScrapeTimeoutError,
  TooManyRedirectsError,
} from './scrape-errors.ts';
import { dump, FakeClock, scrapeConfigsOf, serve, TestServer } from './testing.ts';

const quiet = createLogger({ level: 'error', write: () => {} });
const tenMiB = 10 << 20;

describe('targets that fail', () => {
  const server = new TestServer({
    '/good': serve(() => 'ok 1\n'),
    '/garbage': serve(() => 'this is { not metrics\n'),
    '/huge': serve(() => `big{v="${'x'.repeat(tenMiB)}"} 1\n`, { gzip: true }),
    '/labels': serve(() => `big{v="${'x'.repeat(tenMiB)}"} 1\n`),
    '/slow': () => {},
    '/error': (_req, res) => res.writeHead(500).end('boom\n'),
    '/loop': (_req, res) => res.writeHead(302, { Location: '/loop' }).end(),
    '/moved': (_req, res) => res.writeHead(301, { Location: '/good' }).end(),
    '/bad-gzip': (_req, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end('not gzip'),
  });
  before(() => server.start());
  after(() => server.close());

  const cases: Array<{
    job: string;
    extra?: string;
    error: new (...args: never[]) => Error;
    message: RegExp | string;
  }> = [
    { job: 'garbage', error: ExpositionParseError, message: /^line 1, col \d+: / },
    { job: 'huge', extra: 'body_size_limit: 1MB', error: BodySizeLimitError, message: 'body size limit exceeded' },
    {
      job: 'labels',
      extra: 'label_value_length_limit: 1024',
      error: LabelLimitError,
      message:
        /^label_value_length_limit exceeded \(metric: big, label name: v, value: "x{50}", length: 10485760, limit: 1024\)$/,
    },
    {
      job: 'slow',
      extra: 'scrape_timeout: 1s',
      error: ScrapeTimeoutError,
      message: /^Get "http:\/\/127\.0\.0\.1:\d+\/slow": context deadline exceeded$/,
    },
    { job: 'error', error: HttpStatusError, message: 'server returned HTTP status 500 Internal Server Error' },
    { job: 'loop', error: TooManyRedirectsError, message: 'Get "/loop": stopped after 10 redirects' },
    {
      job: 'moved',
      extra: 'follow_redirects: false',
      error: HttpStatusError,
      message: 'server returned HTTP status 301 Moved Permanently',
    },
    { job: 'bad-gzip', error: Error, message: 'incorrect header check' },
  ];

  it('set up to 0 with the reason as lastError; other targets are unaffected', async () => {
    const storage = new MemoryStorage();
    const clock = new FakeClock();
    const manager = new ScrapeManager({ appendable: storage, logger: quiet, clock });
    const redirected = `  - job_name: redirected\n    metrics_path: /moved\n    static_configs: [{targets: ['${server.address}']}]\n`;
    const jobs = ['good', ...cases.map((c) => c.job)].map((name) => {
      const extra = cases.find((c) => c.job === name)?.extra ?? '';
      return `  - job_name: ${name}\n    metrics_path: /${name}\n    static_configs: [{targets: ['${server.address}']}]\n    ${extra}\n`;
    });
    const refused = "  - job_name: refused\n    static_configs: [{targets: ['127.0.0.1:1']}]\n";
    const yaml = `global:\n  scrape_interval: 15s\nscrape_configs:\n${jobs.join('')}${refused}${redirected}`;
    assert.deepEqual(await manager.applyConfig(scrapeConfigsOf(yaml)), { ok: true });
    await manager.start();

    // The slow target's scrape holds its tick until its timeout fires: move time on from inside.
    const slowAsked = server.nextRequest('/slow');
    const interval = clock.advance(15_000);
    await slowAsked;
    await clock.advance(1_000);
    await interval;

    const targets = manager.targetsActive();
    const target = (job: string) => targets.get(job)?.[0];
    assert.equal(target('good')?.health, 'up');
    assert.equal(target('redirected')?.health, 'up', 'a redirect is followed');
    assert.equal(server.seen.filter((r) => r.path === '/loop').length, 10);
    for (const c of cases) {
      const t = target(c.job);
      assert.equal(t?.health, 'down', c.job);
      assert.ok(t.lastError instanceof c.error, `${c.job}: ${t.lastError}`);
      if (typeof c.message === 'string') assert.equal(t.lastError.message, c.message, c.job);
      else assert.match(t.lastError.message, c.message, c.job);
    }
    const refusedTarget = target('refused');
    assert.ok(refusedTarget?.lastError instanceof ScrapeRequestError);
    assert.match(refusedTarget.lastError.message, /^Get "http:\/\/127\.0\.0\.1:1\/metrics": connect ECONNREFUSED/);

    const series = dump(storage);
    const up = (job: string, addr = server.address) =>
      series.get(`{__name__="up", instance="${addr}", job="${job}"}`)?.[0]?.[1];
    assert.equal(up('good'), 1);
    for (const c of cases) assert.equal(up(c.job), 0, c.job);
    assert.equal(up('refused', '127.0.0.1:1'), 0);
    assert.equal(manager.stats.bodySizeLimitExceeded, 1);
    assert.equal(manager.stats.labelLimitExceeded, 1);
    assert.equal(
      [...series.keys()].some((k) => k.startsWith('{__name__="big"')),
      false,
    );
    await manager.close();
  });
});

describe('TLS and authorization', () => {
  let dir: string;
  let https: Server;
  const plain = new TestServer({ '/metrics': serve(() => 'plain 1\n') });
  const seenAuth: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-tls-'));
    const [cert, key] = [join(dir, 'server.crt'), join(dir, 'server.key')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
        '-subj',
        '/CN=metrics.test',
        '-addext',
        'subjectAltName=DNS:metrics.test',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore' },
    );
    https = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
      seenAuth.push(req.headers.authorization ?? '');
      const body = gzipSync('secure 1\n');
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Content-Encoding': 'gzip' }).end(body);
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    await plain.start();
  });
  after(async () => {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the server against ca_file and server_name, and sends basic auth and bearer credentials', async () => {
    const addr = `127.0.0.1:${(https.address() as AddressInfo).port}`;
    const ca = join(dir, 'server.crt');
    const yaml = [
      'scrape_configs:',
      '  - job_name: tls',
      '    scheme: https',
      `    tls_config: {ca_file: ${ca}, server_name: metrics.test}`,
      '    basic_auth: {username: u, password: p}',
      `    static_configs: [{targets: ['${addr}']}]`,
      '  - job_name: wrong-name',
      '    scheme: https',
      `    tls_config: {ca_file: ${ca}}`,
      `    static_configs: [{targets: ['${addr}']}]`,
      '  - job_name: insecure',
      '    scheme: https',
      '    tls_config: {insecure_skip_verify: true}',
      `    static_configs: [{targets: ['${addr}']}]`,
      '  - job_name: bearer',
      '    authorization: {credentials: s3cret}',
      `    static_configs: [{targets: ['${plain.address}']}]`,
    ].join('\n');
    const clock = new FakeClock();
    const manager = new ScrapeManager({ appendable: new MemoryStorage(), logger: quiet, clock });
    await manager.applyConfig(scrapeConfigsOf(yaml));
    await manager.start();
    await clock.advance(60_000);
    const t = (job: string) => manager.targetsActive().get(job)?.[0];
    assert.equal(t('tls')?.lastError, null);
    assert.equal(t('tls')?.health, 'up');
    assert.match(t('wrong-name')?.lastError?.message ?? '', /Hostname\/IP does not match certificate's altnames/);
    assert.equal(t('insecure')?.health, 'up');
    assert.ok(seenAuth.includes(`Basic ${Buffer.from('u:p').toString('base64')}`));
    assert.equal(plain.seen[0]?.headers.authorization, 'Bearer s3cret');
    await manager.close();
  });
});
