import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../log/index.ts';
import { HeadChunkCorruptionError } from './errors.ts';
import { HeadChunkFiles, headChunksMagic } from './head-chunks.ts';

describe('head chunk files', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-headchunks-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const warnings: string[] = [];
  const logger = createLogger({ write: (l) => warnings.push(l) });
  const data = (i: number) => Uint8Array.from({ length: 20 + (i % 50) }, (_, j) => (i * 7 + j) & 0xff);
  const fresh = (name: string) => join(root, name);

  function writeSome(dir: string, n: number): number[] {
    mkdirSync(dir, { recursive: true });
    const h = HeadChunkFiles.open(dir, logger);
    h.iterate(() => {});
    const refs: number[] = [];
    for (let i = 0; i < n; i++) {
      refs.push(h.write(i + 1, i * 1000, i * 1000 + 999, 1, data(i)));
      const back = h.read(refs[i] as number);
      assert.deepEqual([back.seriesRef, back.mint, back.maxt, back.encoding], [i + 1, i * 1000, i * 1000 + 999, 1]);
      assert.deepEqual(back.data, data(i), 'readable from the write buffer');
    }
    h.close();
    return refs;
  }

  it('writes records in Prometheus layout and reads them back by ref after reopening', () => {
    const dir = fresh('roundtrip');
    const refs = writeSome(dir, 200);
    const bytes = readFileSync(join(dir, '000001'));
    assert.equal(bytes.readUInt32BE(0), headChunksMagic);
    assert.equal(bytes[4], 1);
    assert.equal(bytes.readUInt32BE(8 + 4), 1, 'first record starts with series ref 1 (big-endian u64)');

    const h = HeadChunkFiles.open(dir, logger);
    const seen: number[] = [];
    h.iterate((ref, seriesRef, mint, _maxt, numSamples) => {
      seen.push(ref);
      assert.equal(mint, (seriesRef - 1) * 1000);
      assert.equal(numSamples, (data(seriesRef - 1)[0] as number) * 256 + (data(seriesRef - 1)[1] as number));
    });
    assert.deepEqual(seen, refs);
    for (const [i, ref] of refs.entries()) assert.deepEqual(h.read(ref).data, data(i));
    h.close();
  });

  it('cuts a torn tail off the last file with a warning, keeping every whole record', () => {
    for (const back of [1, 5, 30]) {
      const dir = fresh(`torn-${back}`);
      writeSome(dir, 10);
      const file = join(dir, '000001');
      truncateSync(file, statSync(file).size - back);
      warnings.length = 0;
      const h = HeadChunkFiles.open(dir, logger);
      let n = 0;
      h.iterate(() => {
        n++;
      });
      h.close();
      assert.ok(n === 9 || (back === 30 && n === 8), `kept ${n} records`);
      assert.ok(warnings.some((w) => w.includes('torn or corrupt tail')));
    }
    const dir = fresh('torn-1');
    const file = join(dir, '000001');
    appendFileSync(file, Buffer.alloc(40));
    const h = HeadChunkFiles.open(dir, logger);
    h.iterate(() => {});
    h.close();
  });

  it('refuses corruption in an earlier file with a typed error naming file and offset', () => {
    const dir = fresh('corrupt');
    writeSome(dir, 5);
    writeSome(dir, 5);
    assert.deepEqual(readdirSync(dir).sort(), ['000001', '000002']);
    const file = join(dir, '000001');
    const bytes = readFileSync(file);
    bytes[8 + 30] = (bytes[8 + 30] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const h = HeadChunkFiles.open(dir, logger);
    assert.throws(
      () => h.iterate(() => {}),
      (err: unknown) =>
        err instanceof HeadChunkCorruptionError && err.offset === 8 && /checksum mismatch/.test(err.message),
    );
    h.deleteFrom(1);
    assert.deepEqual(readdirSync(dir), []);
    h.close();
  });

  it('deletes files whose chunks all end before a time', () => {
    const dir = fresh('truncate');
    writeSome(dir, 3);
    writeSome(dir, 3);
    const h = HeadChunkFiles.open(dir, logger);
    h.iterate(() => {});
    h.write(99, 5000, 6000, 1, data(1));
    assert.equal(h.truncateBefore(2999), 0, 'a file is kept while its newest chunk reaches mint');
    assert.equal(h.truncateBefore(3000), 2, 'both finished files go; the one being written stays');
    assert.deepEqual(readdirSync(dir), ['000003']);
    h.close();
  });
});
