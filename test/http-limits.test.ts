import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

/** Sends raw bytes and returns the raw response, for requests a well-behaved client cannot make. */
function raw(base: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let out = '';
    socket.on('data', (d) => {
      out += d.toString();
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('HTTP limits and errors', () => {
  let t: TestApp;
  const admin = { Authorization: basic('admin', adminPassword) };
  before(async () => {
    t = await startApp({
      config: 'server:\n  limits:\n    max_body_bytes: 64KiB\n    max_header_bytes: 8KiB\n    max_header_count: 20\n',
    });
  });
  after(() => t.close());

  it('answers 413 to a body over the limit, declared or streamed', async () => {
    const big = 'x'.repeat(20 * 1024);
    const declared = await request(`${t.base}/api/vigil/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: big, password: 'x' }),
    });
    assert.equal(declared.status, 413);
    assert.equal(declared.json().errorType, 'too_large');
    assert.match(String(declared.json().error), /exceeds the limit of 16384 bytes/);

    const chunked = await raw(
      t.base,
      `POST /api/vigil/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.Authorization}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${`1000\r\n${'y'.repeat(4096)}\r\n`.repeat(3)}0\r\n\r\n`,
    );
    assert.match(chunked, /^HTTP\/1\.1 413 /);
    assert.match(chunked, /request body exceeds the limit of 4096 bytes/);
  });

  it('answers 431 to a head over the size limit and to too many headers', async () => {
    const huge = await raw(t.base, `GET /-/healthy HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(10 * 1024)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 Request Header Fields Too Large/);
    assert.match(huge, /"errorType":"header_too_large"/);
    const headers: Record<string, string> = {};
    for (let i = 0; i < 25; i++) headers[`X-H${i}`] = 'v';
    const many = await request(`${t.base}/-/healthy`, { headers });
    assert.equal(many.status, 431);
    assert.equal(many.json().error, 'more than 20 request headers');
  });

  it('answers 400 to a malformed request line and to malformed JSON', async () => {
    assert.match(await raw(t.base, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/);
    const r = await request(`${t.base}/api/vigil/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"username": "admin",',
    });
    assert.equal(r.status, 400);
    assert.match(String(r.json().error), /^invalid JSON body: /);
    const form = await request(`${t.base}/api/vigil/tokens`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'text/csv' },
      body: 'a,b',
    });
    assert.equal(form.status, 415);
    const missing = await request(`${t.base}/api/vigil/tokens`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: '{"name": ""}',
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.json().error, 'field "name" must be a non-empty string');
    const badName = await request(`${t.base}/api/vigil/tokens`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: '{"name": "a b"}',
    });
    assert.equal(badName.status, 400);
  });

  it('answers 404 and 405 in the API error shape', async () => {
    const nf = await request(`${t.base}/api/v1/nope`, { headers: admin });
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json(), { status: 'error', errorType: 'not_found', error: 'no route for /api/v1/nope' });
    const na = await request(`${t.base}/metrics`, { method: 'DELETE', headers: admin });
    assert.equal(na.status, 405);
    assert.equal(na.headers.allow, 'GET');
  });

  it('keeps serving after all of that', async () => {
    assert.equal((await request(`${t.base}/metrics`, { headers: admin })).status, 200);
  });
});
