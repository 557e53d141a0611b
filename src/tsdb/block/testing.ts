/** Helpers for the block tests. Not part of the build's public names. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { compareLabels, Labels } from '../../model/index.ts';
import { BlockCorruptionError } from './errors.ts';
import type { IndexSeries } from './types.ts';

/** A fresh temporary directory, removed after the suite. Call it while defining a suite, not in a hook. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Series with varied labels (non-ASCII, an astral-plane character, a value that sorts differently in UTF-16),
 * sorted by labels, each with `chunksPerSeries` chunk metas of increasing refs.
 */
export function sampleSeries(chunksPerSeries = 2): IndexSeries[] {
  const sets: Record<string, string>[] = [
    { __name__: 'up', job: 'node', instance: 'a:9100' },
    { __name__: 'up', job: 'node', instance: 'b:9100' },
    { __name__: 'up', job: 'vigil' },
    { __name__: 'http_requests_total', code: '200', path: '/caf\u00e9' },
    { __name__: 'http_requests_total', code: '500', path: '/\u{1d11e}' },
    { __name__: 'http_requests_total', code: '500', path: '/\uffee' },
    { __name__: 'temp_celsius', room: '\u65e5\u672c' },
    { __name__: 'temp_celsius', room: 'attic', floor: '2' },
  ];
  let ref = 8;
  return sets
    .map((o) => Labels.fromObject(o))
    .sort(compareLabels)
    .map((labels, i) => ({
      labels,
      chunks: Array.from({ length: chunksPerSeries }, (_, c) => {
        const minTime = 1_700_000_000_000 + c * 120_000 + i;
        ref += 100 + i;
        return { ref, minTime, maxTime: minTime + 60_000 };
      }),
    }));
}

/** Asserts that `fn` throws a BlockCorruptionError whose file is `file` and, when given, offset is `offset`. */
export function assertCorrupt(fn: () => unknown, file: string, offset?: number): BlockCorruptionError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof BlockCorruptionError, `expected BlockCorruptionError, got ${String(caught)}`);
  assert.equal(caught.file, file);
  if (offset !== undefined) assert.equal(caught.offset, offset, caught.message);
  return caught;
}
