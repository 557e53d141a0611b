// The CRS regression tests through the real gateway (scripts/conformance-crs.ts): all 5,003 of them, each request
// sent over TLS to a gateway in front of an albedo-like backend, set up as CRS's CI sets up its engines, and judged
// from the response status and the audit log. The pass count must not fall below the figure recorded here, and a
// test may fail only when it is listed below with its reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runGatewayConformance } from '../scripts/conformance-crs.ts';

/** Passed tests measured when this figure was last raised (see the session's note). */
const recordedPassed = 5000;
const totalTests = 5003;

/**
 * The tests that fail through the gateway, each with its reason. A listed test that passes is fine; a test
 * that fails and is not listed fails this file.
 */
const knownFailures: Readonly<Record<string, readonly string[]>> = {
  // CONNECT www.example:80 expects 200: Apache's test container answers it. A reverse proxy tunnels nothing;
  // vigil lets the WAF read the request and answers 405, as nginx does.
  'CONNECT is not tunnelled (405)': ['920100-4'],
  // Content-Length together with Transfer-Encoding expects 200 (Apache drops the Content-Length). vigil refuses
  // the request (400, rule 11002): RFC 9112 6.1 allows it, and it is the request-smuggling shape.
  'Content-Length with Transfer-Encoding refused': ['920181-1'],
  // Two Content-Type headers: the test encodes Apache's merging of repeated headers into one, so 920620 must not
  // match. vigil keeps them apart, so the WAF sees the ambiguity and 920620 matches (as with nginx: CRS's
  // nginx-overrides.yaml expects 920620 there).
  'repeated Content-Type kept apart (Apache merges them)': ['920620-1'],
};

describe('CRS regression tests (through the gateway, CRS CI setup)', () => {
  it(`passes at least ${recordedPassed} of ${totalTests}`, async () => {
    // A generous read timeout: other test files load the machine while this one runs.
    const r = await runGatewayConformance({ readTimeoutMs: 10_000 });
    assert.equal(r.passed + r.failed + r.skipped, totalTests, 'every test is counted once');
    assert.equal(r.rulesLeftOut, 0, 'every CRS regex runs on RE2');
    assert.deepEqual(r.skips, [], 'no test is skipped');
    const known = new Set(Object.values(knownFailures).flat());
    const unexpected = r.failures.filter((f) => !known.has(f.id));
    assert.deepEqual(
      unexpected.map((f) => `${f.id}: ${f.reason.slice(0, 300)}`),
      [],
      'tests failing that are not listed with a reason',
    );
    assert.ok(r.passed >= recordedPassed, `${r.passed} passed (< ${recordedPassed})`);
  });
});
