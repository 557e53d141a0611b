// `vigil gateway --config FILE` as a real process: starts, proxies, serves /metrics, stops on SIGTERM.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Backend, get, plainGet, startBackend } from './support/gateway.ts';
import { request } from './support/http.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const mainTs = join(root, 'src', 'cli', 'main.ts');

/** Runs the CLI from source (no build needed) with `args`. */
function vigil(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { main } = await import(${JSON.stringify(mainTs)}); process.exit(await main(process.argv.slice(1)));`,
      ...args,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d;
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitFor(output: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = output().match(pattern);
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('vigil gateway', () => {
  let dir: string;
  let backend: Backend;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-gw-cli-'));
    backend = await startBackend();
  });
  after(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, proxies, serves /metrics and stops on SIGTERM', async () => {
    const config = join(dir, 'vigil.yml');
    writeFileSync(
      config,
      [
        'gateway:',
        '  listen: 127.0.0.1:0',
        '  redirect_listen: 127.0.0.1:0',
        '  metrics_listen: 127.0.0.1:0',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n'),
    );
    const v = vigil(['gateway', '--config', config, '--data-dir', join(dir, 'data')]);
    try {
      const m = await waitFor(
        v.output,
        /"msg":"vigil gateway is ready".*"https":(\d+).*"redirect":(\d+).*"metrics":(\d+)/,
      );
      const [https, redirect, metrics] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const r = await get(https, '/through?x=1');
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.text).url, '/through?x=1');
      assert.equal((await plainGet(redirect, '/', 'app.test')).status, 308);
      const text = (await plainGet(metrics, '/metrics', '127.0.0.1')).text;
      assert.match(text, /vigil_gateway_requests_total\{site="app.test",code="200"\} 1/);
      assert.match(text, /process_cpu_seconds_total/);
      assert.match(v.output(), /generated a self-signed certificate/);
    } finally {
      v.child.kill('SIGTERM');
    }
    assert.equal(await v.exited, 0, v.output());
    assert.match(v.output(), /gateway stopped/);
  });

  it('asks for the metrics token when one is set, and refuses /metrics reachable from other hosts without one', async () => {
    const token = join(dir, 'metrics.token');
    writeFileSync(token, 'a-long-metrics-token\n');
    const config = join(dir, 'metrics-token.yml');
    const lines = (listen: string, tokenFile: boolean) =>
      [
        'gateway:',
        '  listen: 127.0.0.1:0',
        '  redirect_listen: none',
        `  metrics_listen: '${listen}'`,
        ...(tokenFile ? [`  metrics_token_file: '${token}'`] : []),
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n');
    writeFileSync(config, lines('127.0.0.1:0', true));
    const v = vigil(['gateway', '--config', config, '--data-dir', join(dir, 'data-token')]);
    try {
      const m = await waitFor(v.output, /"msg":"vigil gateway is ready".*"metrics":(\d+)/);
      const port = Number(m[1]);
      const url = `http://127.0.0.1:${port}/metrics`;
      assert.equal((await request(url)).status, 401);
      assert.equal((await request(url, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
      const ok = await request(url, { headers: { Authorization: 'Bearer a-long-metrics-token' } });
      assert.equal(ok.status, 200);
      assert.match(ok.text, /process_cpu_seconds_total/);
      assert.doesNotMatch(v.output(), /a-long-metrics-token/, 'the token is never logged');
    } finally {
      v.child.kill('SIGTERM');
    }
    await v.exited;
    writeFileSync(config, lines(':0', false));
    const open = vigil(['gateway', '--config', config, '--data-dir', join(dir, 'data-token')]);
    assert.equal(await open.exited, 1);
    assert.match(
      open.output(),
      /gateway\.metrics_listen: :0 is reachable from other hosts: set gateway\.metrics_token_file/,
    );
  });

  it('exits 1 when the config has no gateway section', async () => {
    const config = join(dir, 'empty.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
    const v = vigil(['gateway', '--config', config, '--data-dir', join(dir, 'data')]);
    assert.equal(await v.exited, 1);
    assert.match(v.output(), /has no gateway section/);
  });

  it('exits 1 naming the file:line when a CRS directory has an invalid rule', async () => {
    const crs = join(dir, 'broken-crs');
    mkdirSync(join(crs, 'rules'), { recursive: true });
    writeFileSync(join(crs, 'crs-setup.conf'), '# setup\n');
    writeFileSync(join(crs, 'rules', 'REQUEST-900-BAD.conf'), '\nSecRule ARGS "@nosuchop x" "id:1,phase:2,deny"\n');
    const config = join(dir, 'broken-waf.yml');
    writeFileSync(
      config,
      [
        'gateway:',
        '  listen: 127.0.0.1:0',
        '  redirect_listen: none',
        '  metrics_listen: none',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        `      waf: { crs_dir: '${crs}' }`,
      ].join('\n'),
    );
    const v = vigil(['gateway', '--config', config, '--data-dir', join(dir, 'data-broken')]);
    assert.equal(await v.exited, 1);
    assert.match(v.output(), /gateway\.sites\[0\]\.waf\.crs_dir: .*REQUEST-900-BAD\.conf:2: /);
  });
});
