import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentTypeOf, formatFromContentType } from './content-type.ts';
import type { ExpositionFormat } from './types.ts';

const table: [string | undefined, ExpositionFormat][] = [
  [undefined, 'text-0.0.4'],
  ['', 'text-0.0.4'],
  ['text/plain; version=0.0.4', 'text-0.0.4'],
  ['text/plain; version=0.0.4; charset=utf-8', 'text-0.0.4'],
  ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics-1.0.0'],
  ['application/openmetrics-text;version=0.0.1', 'openmetrics-1.0.0'],
  ['Application/OpenMetrics-Text', 'openmetrics-1.0.0'],
  ['application/openmetrics-text; version="1.0.0"', 'openmetrics-1.0.0'],
  ['application/openmetrics-text; version', 'text-0.0.4'],
  ['application/json', 'text-0.0.4'],
  ['application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited', 'text-0.0.4'],
  ['garbage', 'text-0.0.4'],
];
for (const [header, format] of table) {
  test(`${JSON.stringify(header)} → ${format}`, () => assert.equal(formatFromContentType(header), format));
}

test('served content types read back as their format', () => {
  for (const f of ['text-0.0.4', 'openmetrics-1.0.0'] as const)
    assert.equal(formatFromContentType(contentTypeOf(f)), f);
});
