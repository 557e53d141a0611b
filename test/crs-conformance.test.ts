// The CRS regression tests through the real gateway (scripts/conformance-crs.ts): all 5,003 of them, each request
// sent over TLS to a gateway in front of an albedo-like backend, set up as CRS's CI sets up its engines, and judged
// from the response status and the audit log. The pass count must not fall below the figure recorded here, and a
// test may fail only when it is listed below with its cause. Raise the figure and shorten the list as the gateway
// gets better.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runGatewayConformance } from '../scripts/conformance-crs.ts';

/** Passed tests measured when this figure was last raised (see the session report). */
const recordedPassed = 4956;
const totalTests = 5003;

/** The tests known to fail through the gateway, by cause. A listed test that passes is fine. */
const knownFailures: Readonly<Record<string, readonly string[]>> = {
  // Bytes after a complete request (a body without Content-Length, or longer than it) are parsed as a next
  // request; the parser's error makes Gateway.clientError destroy the socket while the first request is in flight.
  'connection destroyed by the next request parse error': ['920170-4', '920180-1', '920640-5', '920400-1', '921110-6'],
  // Node's parser answers 400 before the WAF sees the request (unknown method, non-ASCII target, HTTP/4.0).
  'refused by the HTTP parser before the WAF': [
    '911100-5',
    '911100-7',
    '920100-10',
    '920100-14',
    '949110-4',
    '934120-23',
    '934120-24',
    '934120-25',
    '934120-26',
    '934120-39',
    '920430-8',
  ],
  // targetProblem() refuses invalid %-escapes in the query and non-UTF-8 percent-encoding in the path.
  'refused as a bad request target before the WAF': [
    '920260-1',
    '920260-3',
    '921150-1',
    '921160-1',
    '934120-33',
    '934120-34',
    '920272-5',
  ],
  'HTTP/1.0 without (or with an empty) Host refused before the WAF': ['920280-1', '920290-4'],
  'absolute-form target normalised to / before the WAF': ['920100-16'],
  'non-ASCII header bytes re-encoded as UTF-8 before the WAF': ['941110-8', '942420-3', '942420-4', '942421-2'],
  'CONNECT: no handler, the socket is destroyed': ['920100-4', '920100-5', '920100-6', '920300-3'],
  'Content-Length with Transfer-Encoding refused (Apache accepts)': ['920181-1'],
  'fragment in the request target accepted (Apache: 400)': ['920100-8', '920610-2'],
  'malformed Host value accepted (Apache: 400)': ['920270-4', '920274-1'],
  'HTTP/0.9 request line with headers proxied (Apache: 400)': ['920280-3', '920430-3'],
  'request line without a version answered 400 (Apache: HTTP/0.9, no status line)': ['920430-5'],
  // Also failing in-process: CRS's CI engines fail them too (tests/regression/*-overrides.yaml) or the engine does.
  'engine (fails in-process as well)': ['920360-1', '920380-1', '920620-1', '942101-9'],
};

/**
 * `POST / HTTP/2.0` on an HTTP/1.1 connection throws out of the gateway's request handler (exchange.ts hasBody()
 * takes `httpVersionMajor === 2` for an HTTP/2 stream): an uncaught exception, which the test runner pins on the
 * test that started the gateway. So it runs on a gateway of its own, as a todo until the gateway is fixed.
 */
const crashing = '920180-4';

describe('CRS regression tests (through the gateway, CRS CI setup)', () => {
  it(`passes at least ${recordedPassed} of ${totalTests}`, async () => {
    // A generous read timeout: other test files load the machine while this one runs.
    const r = await runGatewayConformance({ readTimeoutMs: 10_000, include: new RegExp(`^(?!${crashing}$)`) });
    assert.equal(r.passed + r.failed + r.skipped, totalTests - 1, 'every test is counted once');
    assert.equal(r.rulesLeftOut, 0, 'every CRS regex runs on RE2');
    for (const s of r.skips) assert.notEqual(s.reason, '', `${s.id} is skipped without a reason`);
    const known = new Set(Object.values(knownFailures).flat());
    const unexpected = r.failures.filter((f) => !known.has(f.id));
    assert.deepEqual(
      unexpected.map((f) => `${f.id}: ${f.reason.slice(0, 300)}`),
      [],
      'tests failing that are not listed with a cause',
    );
    assert.ok(r.passed >= recordedPassed, `${r.passed} passed (< ${recordedPassed})`);
  });

  it(`${crashing}: an HTTP/2.0 request line on HTTP/1.1 does not crash the gateway`, {
    todo: 'the gateway throws in hasBody()',
  }, async () => {
    const r = await runGatewayConformance({ include: new RegExp(`^${crashing}$`) });
    assert.equal(r.passed, 1, r.failures[0]?.reason);
  });
});
