// Hostile inputs through the whole CRS: every transaction must finish quickly (linear-time scanning and
// regexes) and without throwing. Each input is ~200 KB of a shape that makes backtracking scanners quadratic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCiEngine } from '../scripts/conformance-crs.ts';

const n = 200_000;
const shapes: Array<[string, string, string]> = [
  ['inner blank run', 'application/x-www-form-urlencoded', `a=x${' '.repeat(n)}y`],
  ['many tag openers', 'application/x-www-form-urlencoded', `a=${'<a'.repeat(n / 2)}`],
  ['many "on" words', 'application/x-www-form-urlencoded', `a=${' onx'.repeat(n / 4)}`],
  ['unterminated comments', 'application/x-www-form-urlencoded', `a=${'/*'.repeat(n / 2)}`],
  ['entity openers', 'application/x-www-form-urlencoded', `a=${'&#'.repeat(n / 2)}`],
  ['quotes', 'application/x-www-form-urlencoded', `a=${"'".repeat(n)}`],
  ['CSS url( before a run of blanks', 'application/x-www-form-urlencoded', `a=<a style="url(${' '.repeat(n)}x">`],
  ['blanks between SQL words', 'application/x-www-form-urlencoded', `a=1 or${' '.repeat(n)}x`],
  ['MySQL versioned-comment openers', 'application/x-www-form-urlencoded', `a=${'/*!'.repeat(n / 3)}`],
  ['deep JSON', 'application/json', `${'['.repeat(n / 2)}${']'.repeat(n / 2)}`],
  ['XML with a huge attribute name', 'application/xml', `<a ${'b'.repeat(n)}="1"/>`],
  ['XML with a huge tag', 'application/xml', `<a${' '.repeat(n)}`],
  [
    'multipart with a huge part header',
    'multipart/form-data; boundary=X',
    `--X\r\nContent-Disposition: form-data${'; a=b'.repeat(n / 6)}\r\n\r\nv\r\n--X--\r\n`,
  ],
];

describe('WAF on hostile inputs (CRS, paranoia level 4)', () => {
  const engine = buildCiEngine();
  for (const [name, ct, body] of shapes) {
    it(name, () => {
      const started = performance.now();
      const tx = engine.newTransaction({ clientIp: '192.0.2.1' });
      tx.processRequestHeaders({
        method: 'POST',
        uri: `/post?q=${encodeURIComponent(body.slice(0, 4000))}`,
        protocol: 'HTTP/1.1',
        headers: [
          ['Host', 'localhost'],
          ['Content-Type', ct],
          ['Cookie', `c=${body.slice(0, 4000)}`],
        ],
      });
      tx.processRequestBody(body);
      tx.processResponseHeaders(200, 'HTTP/1.1', [['Content-Type', 'text/html']]);
      tx.processResponseBody(body);
      tx.processLogging();
      const ms = performance.now() - started;
      assert.ok(ms < 3000, `${name}: ${ms.toFixed(0)} ms`);
    });
  }
});
