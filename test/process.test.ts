import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { basic, request } from './support/http.ts';
import { readyUrl, requireBuild, runToEnd, runVigil, type Vigil } from './support/process.ts';

const password = 'process-test-password';
const env = { VIGIL_ADMIN_PASSWORD: password };

function curlCode(args: string[]): string {
  return execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args], { encoding: 'utf8' });
}

async function stop(v: Vigil): Promise<number | string> {
  v.child.kill('SIGTERM');
  return v.exited;
}

describe('the vigil process', () => {
  let dir: string;
  before(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'vigil-proc-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on embedded defaults, answers the README curl commands, and stops cleanly on SIGTERM', async () => {
    const cwd = join(dir, 'fresh');
    execFileSync('mkdir', ['-p', cwd]);
    const started = Date.now();
    const v = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env });
    const url = await readyUrl(v);
    assert.equal(curlCode([`${url}/-/healthy`]), '200');
    assert.ok(Date.now() - started < 10_000, 'healthy within 10 s');
    assert.ok(existsSync(join(cwd, 'data', 'vigil.db')), 'created ./data and the store');
    assert.equal(v.output().match(/is ready at/g)?.length, 1, 'one line with the URL');

    assert.equal(curlCode([`${url}/metrics`]), '401');
    assert.equal(curlCode(['-u', `admin:${password}`, `${url}/metrics`]), '200');
    const created = await runToEnd(['token', 'create', 'ci'], { cwd });
    assert.equal(created.code, 0, created.output);
    const token = created.stdout.trim();
    assert.equal(curlCode(['-H', `Authorization: Bearer ${token}`, `${url}/metrics`]), '200');
    const revoked = await runToEnd(['token', 'revoke', 'ci'], { cwd });
    assert.equal(revoked.code, 0, revoked.output);
    assert.equal(curlCode(['-H', `Authorization: Bearer ${token}`, `${url}/metrics`]), '401');

    assert.equal(await stop(v), 0);
    assert.match(v.output(), /"msg":"stopped"/);
    assert.equal(existsSync(join(cwd, 'data', 'lock')), false, 'the lock is released');
  });

  it('manages users from the command line while the server runs', async () => {
    const cwd = join(dir, 'users');
    execFileSync('mkdir', ['-p', cwd]);
    const v = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env });
    const url = await readyUrl(v);
    const added = await runToEnd(['user', 'add', 'grace', '--role', 'viewer'], { cwd, input: 'grace-password\n' });
    assert.equal(added.code, 0, added.output);
    assert.equal(
      (await request(`${url}/api/v1/status/flags`, { headers: { Authorization: basic('grace', 'grace-password') } }))
        .status,
      200,
    );
    const short = await runToEnd(['user', 'passwd', 'admin'], { cwd, input: 'short\n' });
    assert.equal(short.code, 2);
    assert.match(short.output, /at least 8 characters/);
    const changed = await runToEnd(['user', 'passwd', 'admin'], { cwd, input: 'a-brand-new-password\n' });
    assert.equal(changed.code, 0, changed.output);
    assert.equal(
      (await request(`${url}/metrics`, { headers: { Authorization: basic('admin', password) } })).status,
      401,
    );
    assert.equal(
      (await request(`${url}/metrics`, { headers: { Authorization: basic('admin', 'a-brand-new-password') } })).status,
      200,
    );
    const list = await runToEnd(['user', 'list'], { cwd });
    assert.match(list.stdout, /^admin\tadmin\t/m);
    assert.match(list.stdout, /^grace\tviewer\t/m);
    assert.equal(await stop(v), 0);
  });

  it('prints a generated admin password once, which then works', async () => {
    const cwd = join(dir, 'generated');
    execFileSync('mkdir', ['-p', cwd]);
    const noPassword = { VIGIL_ADMIN_PASSWORD: undefined };
    const first = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env: noPassword });
    const url = await readyUrl(first);
    const generated = first.output().match(/shown only now:\s+(\S+)/)?.[1] as string;
    assert.match(generated, /^[A-Za-z0-9_-]{24}$/);
    assert.equal(
      (await request(`${url}/metrics`, { headers: { Authorization: basic('admin', generated) } })).status,
      200,
    );
    assert.equal(first.output().split(generated).length, 2, 'the password appears exactly once, never in a log record');
    assert.equal(await stop(first), 0);

    const second = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env: noPassword });
    await readyUrl(second);
    assert.doesNotMatch(second.output(), /shown only now/);
    assert.equal(await stop(second), 0);
  });

  it('refuses a second vigil on the same data directory, and takes over after kill -9', async () => {
    const cwd = join(dir, 'locked');
    execFileSync('mkdir', ['-p', cwd]);
    const first = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env });
    const url = await readyUrl(first);
    const second = await runToEnd(['start', '--listen', '127.0.0.1:0'], { cwd, env });
    assert.equal(second.code, 1);
    assert.match(
      second.output,
      new RegExp(`data directory \\S+ is in use by another vigil \\(pid ${first.child.pid}\\)`),
    );
    assert.equal((await request(`${url}/-/healthy`)).status, 200, 'the first keeps running');

    first.child.kill('SIGKILL');
    await first.exited;
    const third = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env });
    const url3 = await readyUrl(third);
    assert.equal(
      (await request(`${url3}/metrics`, { headers: { Authorization: basic('admin', password) } })).status,
      200,
    );
    assert.equal(await stop(third), 0);
  });

  it('reports an occupied port and an unusable data directory, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cwd = join(dir, 'port');
      execFileSync('mkdir', ['-p', cwd]);
      const r = await runToEnd(['start', '--listen', `127.0.0.1:${port}`], { cwd, env });
      assert.equal(r.code, 1);
      assert.match(r.output, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`));
      assert.equal(existsSync(join(cwd, 'data', 'lock')), false, 'nothing left behind');
    } finally {
      blocker.close();
    }
    writeFileSync(join(dir, 'a-file'), '');
    const r = await runToEnd(['start', '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'a-file', 'data')], {
      cwd: dir,
      env,
    });
    assert.equal(r.code, 1);
    assert.match(r.output, /data directory \S+ cannot create it: a path component is not a directory/);
  });

  it('finishes an in-flight request before exiting on SIGTERM', async () => {
    const cwd = join(dir, 'graceful');
    execFileSync('mkdir', ['-p', cwd]);
    const v = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env });
    const url = await readyUrl(v);
    const body = JSON.stringify({ username: 'admin', password });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${url}/api/vigil/login`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        v.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 200);
    });
    const r = await response;
    assert.equal(r.status, 200, r.text);
    assert.equal(await v.exited, 0);
    const out = v.output();
    assert.ok(out.indexOf('"msg":"shutting down"') < out.indexOf('"msg":"stopped"'));
  });

  it('reloads on SIGHUP and keeps the old config when the new one is bad', async () => {
    const cwd = join(dir, 'sighup');
    execFileSync('mkdir', ['-p', cwd]);
    const config = join(cwd, 'vigil.yml');
    writeFileSync(config, 'server:\n  auth:\n    public_paths: [/-/healthy, /metrics]\n');
    const v = runVigil(['start', '--config', config, '--listen', '127.0.0.1:0'], { cwd, env });
    const url = await readyUrl(v);
    assert.equal((await request(`${url}/metrics`)).status, 200);
    writeFileSync(config, 'server: [\n');
    v.child.kill('SIGHUP');
    await v.waitFor(/config reload refused/);
    assert.equal((await request(`${url}/metrics`)).status, 200);
    writeFileSync(config, 'server: {}\n');
    v.child.kill('SIGHUP');
    await v.waitFor(/"msg":"config reloaded"/);
    assert.equal((await request(`${url}/metrics`)).status, 401);
    assert.equal(await stop(v), 0);
  });

  it('quits on POST /-/quit from an admin', async () => {
    const cwd = join(dir, 'quit');
    execFileSync('mkdir', ['-p', cwd]);
    const v = runVigil(['start', '--listen', '127.0.0.1:0'], { cwd, env });
    const url = await readyUrl(v);
    const r = await request(`${url}/-/quit`, { method: 'POST', headers: { Authorization: basic('admin', password) } });
    assert.equal(r.status, 200);
    assert.equal(await v.exited, 0);
  });
});

describe('the vigil command line', () => {
  let dir: string;
  before(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its version and help', async () => {
    const v = await runToEnd(['--version'], { cwd: dir });
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    const h = await runToEnd(['help', 'start'], { cwd: dir });
    assert.equal(h.code, 0);
    assert.match(h.stdout, /--data-dir <dir>/);
    assert.match(h.stdout, /--listen <host:port>/);
  });

  const usage: Array<[string[], RegExp]> = [
    [['strat'], /unknown command 'strat'[\s\S]*Did you mean start\?/],
    [['start', '--lisen', 'x'], /unknown option '--lisen'[\s\S]*Did you mean --listen\?/],
    [['start', '--log-level', 'loud'], /argument 'loud' is invalid. Allowed choices are debug, info, warn, error/],
    [['start', '--listen', 'nowhere'], /--listen: expected host:port like 127\.0\.0\.1:9090, got "nowhere"/],
    [['check', 'config'], /missing required argument 'file'/],
    [['token', 'create', 'bad name'], /token name "bad name" must be/],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 with a hint on a usage error: vigil ${args.join(' ')}`, async () => {
      const r = await runToEnd(args, { cwd: dir });
      assert.equal(r.code, 2, r.output);
      assert.match(r.output, message);
    });
  }

  it('checks a config file: 0 when valid, 1 naming the line and key of a typo', async () => {
    writeFileSync(
      join(dir, 'good.yml'),
      'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: [localhost:9100]\n',
    );
    const good = await runToEnd(['check', 'config', 'good.yml'], { cwd: dir });
    assert.equal(good.code, 0, good.output);
    assert.match(good.stdout, /SUCCESS: 1 scrape config, 0 rule files, 0 receivers/);

    writeFileSync(join(dir, 'typo.yml'), 'global:\n  scrape_interval: 15s\n  evaluaton_interval: 30s\n');
    const bad = await runToEnd(['check', 'config', 'typo.yml'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(
      bad.output,
      /typo\.yml:3:3: global\.evaluaton_interval: unknown key \(did you mean evaluation_interval\?\)/,
    );

    const missing = await runToEnd(['check', 'config', 'nope.yml'], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.output, /nope\.yml: cannot read the config file: no such file/);
  });

  it('refuses to start on an invalid config, listing every problem', async () => {
    writeFileSync(join(dir, 'bad.yml'), 'server:\n  listen: nowhere\n  auth:\n    session_ttl: forever\n');
    const r = await runToEnd(['start', '--config', 'bad.yml', '--data-dir', join(dir, 'data')], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.match(r.output, /bad\.yml:2:11: server\.listen: expected host:port like 127\.0\.0\.1:9090, got "nowhere"/);
    assert.match(r.output, /bad\.yml:4:18: server\.auth\.session_ttl: expected a duration like 15s, got "forever"/);
    assert.equal(existsSync(join(dir, 'data')), false, 'nothing created');
  });
});
