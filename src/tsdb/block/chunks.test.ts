import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chunkRef, refOffset, refSegment, SEGMENT_HEADER_BYTES } from './chunks-format.ts';
import { ChunkReader } from './chunks-reader.ts';
import { ChunkWriter } from './chunks-writer.ts';
import { BlockCorruptionError, BlockWriteError } from './errors.ts';
import { assertCorrupt, tempDir } from './testing.ts';

/** Chunk payloads of varied sizes: a length uvarint of 1 and of 2 bytes. */
const payloads = [3, 17, 200, 1, 90, 400, 64].map((n, i) =>
  Buffer.from(Uint8Array.from({ length: n }, (_, j) => (i * 31 + j) & 0xff)),
);

async function writeChunks(dir: string, segmentBytes?: number): Promise<number[]> {
  const w = ChunkWriter.create(dir, segmentBytes === undefined ? {} : { segmentBytes });
  const refs = payloads.map((p, i) => w.write(1 + (i % 3), p));
  await w.close();
  await w.close();
  return refs;
}

describe('chunk segments', () => {
  it('round-trip chunks by ref, with Prometheus segment header and chunk framing', async () => {
    const dir = join(tempDir('chunks'), 'chunks');
    const refs = await writeChunks(dir);
    assert.deepEqual(readdirSync(dir), ['000001']);
    const seg = readFileSync(join(dir, '000001'));
    assert.equal(seg.subarray(0, 8).toString('hex'), '85bd40dd01000000');
    // First chunk: len 3, encoding 1, 3 data bytes, then the CRC32C of encoding and data.
    assert.equal(refs[0], SEGMENT_HEADER_BYTES);
    assert.equal(seg.subarray(8, 13).toString('hex'), '0301000102');
    const r = await ChunkReader.open(dir);
    assert.equal(r.size, seg.length);
    const first = r.chunk(refs[0] as number).data;
    refs.forEach((ref, i) => {
      const c = r.chunk(ref);
      assert.equal(c.encoding, 1 + (i % 3));
      assert.deepEqual(Buffer.from(c.data), payloads[i]);
    });
    for (const ref of [...refs].reverse()) r.chunk(ref);
    assert.deepEqual(Buffer.from(first), payloads[0], 'a view stays valid after later reads');
  });

  it('start a new segment before one would pass the segment size', async () => {
    const dir = join(tempDir('chunks-cut'), 'chunks');
    const refs = await writeChunks(dir, 300);
    const segments = readdirSync(dir);
    assert.ok(segments.length >= 3, segments.join());
    for (const s of segments) {
      const size = readFileSync(join(dir, s)).length;
      assert.ok(size <= 300 || size === 8 + 2 + 1 + 400 + 4, `${s} is ${size} bytes`);
    }
    assert.deepEqual(
      refs.map(refSegment),
      [...refs.map(refSegment)].sort((a, b) => a - b),
    );
    const r = await ChunkReader.open(dir);
    assert.equal(r.segmentCount, segments.length);
    // Reading chunks of other segments moves the reader's window; a view taken before must not change.
    const held = r.chunk(refs[0] as number).data;
    for (const ref of [...refs].reverse()) r.chunk(ref);
    assert.deepEqual(Buffer.from(held), payloads[0]);
    refs.forEach((ref, i) => {
      assert.deepEqual(Buffer.from(r.chunk(ref).data), payloads[i]);
    });
    assert.equal(chunkRef(3, 77), 3 * 2 ** 32 + 77);
    assert.equal(refOffset(chunkRef(3, 77)), 77);
  });

  it('refuse bad options and writes after close', async () => {
    assert.throws(() => ChunkWriter.create(tempDir('chunks-opt'), { segmentBytes: 8 }), RangeError);
    const w = ChunkWriter.create(join(tempDir('chunks-closed'), 'c'));
    await w.close();
    assert.throws(() => w.write(1, payloads[0] as Uint8Array), BlockWriteError);
  });

  it('report corrupt segments with the file and byte offset', async () => {
    const dir = join(tempDir('chunks-bad'), 'chunks');
    const refs = await writeChunks(dir);
    const file = join(dir, '000001');
    const good = readFileSync(file);
    const second = refs[1] as number;

    const flipped = Buffer.from(good);
    flipped[second + 5] = (flipped[second + 5] as number) ^ 1;
    writeFileSync(file, flipped);
    let r = await ChunkReader.open(dir);
    assertCorrupt(() => r.chunk(second), file, second);
    assert.deepEqual(Buffer.from(r.chunk(refs[0] as number).data), payloads[0]);
    r.close();
    r = await ChunkReader.open(dir, { verifyChecksums: false });
    assert.equal(r.chunk(second).data.length, payloads[1]?.length);
    r.close();

    writeFileSync(file, good.subarray(0, second + 6));
    r = await ChunkReader.open(dir);
    assertCorrupt(() => r.chunk(second), file, second);
    assertCorrupt(() => r.chunk(good.length + 10), file);
    assertCorrupt(() => r.chunk(chunkRef(1, 8)), dir);
    r.close();

    writeFileSync(file, Buffer.concat([Buffer.from('85bd40dd02000000', 'hex'), good.subarray(8)]));
    await assert.rejects(ChunkReader.open(dir), (e) => e instanceof BlockCorruptionError && e.offset === 4);
    writeFileSync(file, good.subarray(0, 5));
    await assert.rejects(ChunkReader.open(dir), (e) => e instanceof BlockCorruptionError && e.file === file);
  });
});
