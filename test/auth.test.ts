import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../src/server/index.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

describe('authentication', () => {
  let t: TestApp;
  const admin = () => ({ Authorization: basic('admin', adminPassword) });

  before(async () => {
    t = await startApp({ config: 'server:\n  auth:\n    max_login_failures: 3\n    login_failure_window: 1m\n' });
    t.app.store.users.create('viewer', await hashPassword('viewer-password'), 'viewer');
  });
  after(() => t.close());

  it('serves /-/healthy without credentials and refuses /metrics without them', async () => {
    assert.equal((await request(`${t.base}/-/healthy`)).status, 200);
    const r = await request(`${t.base}/metrics`);
    assert.equal(r.status, 401);
    assert.equal(r.headers['www-authenticate'], 'Basic realm="vigil", charset="UTF-8"');
    assert.deepEqual(r.json(), {
      status: 'error',
      errorType: 'unauthorized',
      error: 'authentication required: log in, or send basic auth or a bearer token',
    });
  });

  it('sends a browser page to the login form instead of a 401', async () => {
    const r = await request(`${t.base}/api/v1/status/flags?x=1`, { headers: { Accept: 'text/html' } });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/login?next=%2Fapi%2Fv1%2Fstatus%2Fflags%3Fx%3D1');
    const page = await request(`${t.base}/login?next=/x`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<form method="post" action="\/login">/);
  });

  it('accepts basic auth and counts wrong passwords', async () => {
    const ok = await request(`${t.base}/metrics`, { headers: admin() });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /^vigil_build_info\{version="[^"]+",nodejs="v\d+/m);
    assert.match(ok.text, /^process_resident_memory_bytes \d+/m);
    const bad = await request(`${t.base}/metrics`, {
      headers: { Authorization: basic('admin', 'wrong'), 'X-Forwarded-For': '1.2.3.4' },
    });
    assert.equal(bad.status, 401);
    const metrics = (await request(`${t.base}/metrics`, { headers: admin() })).text;
    assert.match(metrics, /^vigil_auth_failures_total\{method="basic"\} 1$/m);
    assert.match(metrics, /^vigil_http_requests_total\{handler="\/metrics",code="401",method="GET"\} \d+$/m);
  });

  const malformed: Array<[string, RegExp]> = [
    ['Basic !!!', /Basic credentials must be base64 of user:password/],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, /Basic credentials must be base64 of user:password/],
    ['Bearer', /expected "Bearer <token>"/],
    ['Bearer a b', /expected "Bearer <token>"/],
    ['Digest username="x"', /unsupported Authorization scheme "digest"/],
  ];
  for (const [header, message] of malformed) {
    it(`answers 400 to a malformed Authorization header: ${header}`, async () => {
      const r = await request(`${t.base}/metrics`, { headers: { Authorization: header } });
      assert.equal(r.status, 400);
      assert.equal(r.json().errorType, 'bad_data');
      assert.match(String(r.json().error), message);
    });
  }

  it('creates, uses and revokes bearer tokens', async () => {
    const created = await request(`${t.base}/api/vigil/tokens`, {
      method: 'POST',
      headers: { ...admin(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'grafana' }),
    });
    assert.equal(created.status, 201);
    const { id, token } = created.json<{ data: { id: number; token: string } }>().data;
    assert.match(token, /^vigil_[A-Za-z0-9_-]{43}$/);
    const bearer = { Authorization: `Bearer ${token}` };
    assert.equal((await request(`${t.base}/metrics`, { headers: bearer })).status, 200);

    const dup = await request(`${t.base}/api/vigil/tokens`, {
      method: 'POST',
      headers: { ...admin(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'grafana' }),
    });
    assert.equal(dup.status, 409);

    const list = await request(`${t.base}/api/vigil/tokens`, { headers: admin() });
    assert.equal(list.text.includes(token), false, 'the secret is never listed');
    assert.equal(list.json<{ data: Array<{ name: string }> }>().data[0]?.name, 'grafana');

    assert.equal(
      (await request(`${t.base}/api/vigil/tokens/${id}`, { method: 'DELETE', headers: admin() })).status,
      200,
    );
    const revoked = await request(`${t.base}/metrics`, { headers: bearer });
    assert.equal(revoked.status, 401);
    assert.equal(revoked.json().error, 'invalid, expired or revoked API token');
    assert.equal(
      (await request(`${t.base}/api/vigil/tokens/${id}`, { method: 'DELETE', headers: admin() })).status,
      404,
    );
  });

  it('keeps viewers away from admin routes', async () => {
    const headers = { Authorization: basic('viewer', 'viewer-password') };
    assert.equal((await request(`${t.base}/api/v1/status/config`, { headers })).status, 200);
    const r = await request(`${t.base}/-/reload`, { method: 'POST', headers });
    assert.equal(r.status, 403);
    assert.deepEqual(r.json(), { status: 'error', errorType: 'forbidden', error: 'viewer is not an admin' });
    assert.equal((await request(`${t.base}/api/vigil/tokens`, { headers })).status, 403);
  });

  describe('browser sessions', () => {
    async function login(): Promise<{ cookie: string; csrf: string; setCookie: string }> {
      const r = await request(`${t.base}/api/vigil/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: adminPassword }),
      });
      assert.equal(r.status, 200);
      const setCookie = r.headers['set-cookie']?.[0] ?? '';
      return {
        cookie: setCookie.split(';')[0] as string,
        csrf: r.json<{ data: { csrfToken: string } }>().data.csrfToken,
        setCookie,
      };
    }

    it('sets a strict, HttpOnly session cookie and serves the session', async () => {
      const { cookie, csrf, setCookie } = await login();
      assert.match(setCookie, /^vigil_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
      const s = await request(`${t.base}/api/vigil/session`, { headers: { Cookie: cookie } });
      assert.equal(s.status, 200);
      assert.equal(s.json<{ data: { user: string; csrfToken: string } }>().data.user, 'admin');
      assert.equal(s.json<{ data: { csrfToken: string } }>().data.csrfToken, csrf);
    });

    it('requires the CSRF token on state-changing requests and refuses other origins', async () => {
      const { cookie, csrf } = await login();
      const body = JSON.stringify({ name: 'from-browser' });
      const json = { Cookie: cookie, 'Content-Type': 'application/json' };
      const missing = await request(`${t.base}/api/vigil/tokens`, { method: 'POST', headers: json, body });
      assert.equal(missing.status, 403);
      assert.equal(missing.json().error, 'missing or invalid X-CSRF-Token header');
      const wrong = await request(`${t.base}/api/vigil/tokens`, {
        method: 'POST',
        headers: { ...json, 'X-CSRF-Token': `${csrf}x` },
        body,
      });
      assert.equal(wrong.status, 403);
      const foreign = await request(`${t.base}/api/vigil/tokens`, {
        method: 'POST',
        headers: { ...json, 'X-CSRF-Token': csrf, Origin: 'https://evil.example' },
        body,
      });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.json().error, 'cross-origin request from https://evil.example refused');
      const ok = await request(`${t.base}/api/vigil/tokens`, {
        method: 'POST',
        headers: { ...json, 'X-CSRF-Token': csrf, Origin: t.base },
        body,
      });
      assert.equal(ok.status, 201);
    });

    it('ends a session at logout and at expiry', async () => {
      const a = await login();
      const out = await request(`${t.base}/api/vigil/logout`, {
        method: 'POST',
        headers: { Cookie: a.cookie, 'X-CSRF-Token': a.csrf },
      });
      assert.equal(out.status, 200);
      assert.match(out.headers['set-cookie']?.[0] ?? '', /^vigil_session=; Path=\/; Max-Age=0/);
      assert.equal((await request(`${t.base}/api/vigil/session`, { headers: { Cookie: a.cookie } })).status, 401);

      const b = await login();
      t.app.store.db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - 1);
      const expired = await request(`${t.base}/api/vigil/session`, { headers: { Cookie: b.cookie } });
      assert.equal(expired.status, 401);
      assert.equal(expired.json().error, 'session expired or invalid: log in again');
    });

    it('logs in through the HTML form and redirects only to local paths', async () => {
      const form = (password: string, next: string) =>
        request(`${t.base}/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: 'admin', password, next }).toString(),
        });
      const ok = await form(adminPassword, '//evil.example/x');
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.location, '/');
      assert.match(ok.headers['set-cookie']?.[0] ?? '', /^vigil_session=/);
      const home = await request(`${t.base}/`, {
        headers: { Cookie: (ok.headers['set-cookie']?.[0] ?? '').split(';')[0] as string },
      });
      assert.equal(home.status, 200);
      assert.match(home.text, /Logged in as <strong>admin<\/strong>/);
      const bad = await form('nope', '/metrics');
      assert.equal(bad.headers.location, '/login?error=credentials&next=%2Fmetrics');
    });
  });
});

describe('failed login limit', () => {
  it('locks an address out after too many failed logins, and counts it', async () => {
    const t = await startApp({ config: 'server:\n  auth:\n    max_login_failures: 3\n    login_failure_window: 1m\n' });
    after(() => t.close());
    const attempt = (password: string) =>
      request(`${t.base}/api/vigil/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
    for (let i = 0; i < 3; i++) assert.equal((await attempt('wrong')).status, 401);
    const locked = await attempt(adminPassword);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    const basicLocked = await request(`${t.base}/api/v1/status/flags`, {
      headers: { Authorization: basic('admin', 'nope') },
    });
    assert.equal(basicLocked.status, 429);
    assert.equal((await request(`${t.base}/-/healthy`)).status, 200, 'public paths stay reachable');
    const metrics = await request(`${t.base}/metrics`, { headers: { Authorization: basic('admin', adminPassword) } });
    assert.equal(metrics.status, 429, 'even right credentials wait for the window to end');
    const text = t.app.registry.getSingleMetric('vigil_auth_failures_total');
    assert.ok(text);
    const values = (await text.get()).values;
    assert.deepEqual(values.map((v) => [v.labels.method, v.value]).sort(), [
      ['locked_out', 3],
      ['login', 3],
    ]);
  });
});

describe('authentication turned off', () => {
  it('serves everything without credentials and warns at start', async () => {
    const t = await startApp({ config: 'server:\n  auth: none\n' });
    try {
      assert.equal((await request(`${t.base}/metrics`)).status, 200);
      assert.ok(t.logs.some((l) => l.includes('authentication is off')));
    } finally {
      await t.close();
    }
  });
});
