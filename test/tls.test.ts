import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { request } from './support/http.ts';

describe('the server over TLS', () => {
  let certDir: string;
  let t: TestApp;
  let ca: Buffer;

  before(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    const cert = join(certDir, 'server.crt');
    const key = join(certDir, 'server.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(cert);
    t = await startApp({ config: `server:\n  tls:\n    cert_file: ${cert}\n    key_file: ${key}\n` });
  });
  after(async () => {
    await t.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('serves HTTPS and marks the session cookie Secure', async () => {
    assert.match(t.base, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await request(`${t.base}/-/healthy`, { ca })).status, 200);
    const r = await request(`${t.base}/api/vigil/login`, {
      method: 'POST',
      ca,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: adminPassword }),
    });
    assert.equal(r.status, 200);
    assert.match(r.headers['set-cookie']?.[0] ?? '', /; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('refuses TLS older than 1.2', async () => {
    // Asynchronously: the server runs in this process and must keep answering.
    const { port } = new URL(t.base);
    const { stdout: out } = await promisify(execFile)(
      'sh',
      ['-c', `openssl s_client -connect 127.0.0.1:${port} -tls1_1 </dev/null 2>&1 || true`],
      { encoding: 'utf8', timeout: 10_000 },
    );
    assert.match(out, /alert protocol version|no protocols available/);
    assert.doesNotMatch(out, /New, TLSv1\.1/);
  });
});

describe('a server TLS config that cannot be used', () => {
  it('names the key and file that cannot be read', async () => {
    await assert.rejects(
      startApp({
        config: 'server:\n  tls:\n    cert_file: /nonexistent/server.crt\n    key_file: /nonexistent/server.key\n',
      }),
      /server\.tls\.cert_file: cannot read \/nonexistent\/server\.crt: no such file or directory/,
    );
  });
});
