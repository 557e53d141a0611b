import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32c } from '../encoding/crc32c.ts';
import {
  checkpointName,
  deleteCheckpoints,
  deleteTempCheckpoints,
  FRAGMENT_HEADER_SIZE_BYTES as HEADER,
  lastCheckpoint,
  listCheckpoints,
  listSegments,
  PAGE_SIZE_BYTES as PAGE,
  parseCheckpointName,
  parseSegmentName,
  SNAPPY_FLAG,
  segmentName,
  Wal,
  WalClosedError,
  type WalOptions,
  WalOptionsError,
  WalReader,
  WalSegmentGapError,
  WalUnsupportedError,
} from './index.ts';
import { readAll, recordingLogger, testRecord } from './testing.ts';

const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vigil-wal-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `wal-${dirs++}`);

const open = (dir: string, o: Partial<WalOptions> = {}) =>
  Wal.open({ dir, logger: recordingLogger(), fsync: 'never', ...o });

function assertRecords(got: Uint8Array[], want: Uint8Array[]): void {
  assert.equal(got.length, want.length, 'record count');
  for (let i = 0; i < want.length; i++) {
    assert.ok(Buffer.from(got[i] as Uint8Array).equals(Buffer.from(want[i] as Uint8Array)), `record ${i} differs`);
  }
}

/** Type byte, data length and offset of each fragment in a segment file, skipping padding. */
function fragments(file: Uint8Array): { type: number; length: number; offset: number }[] {
  const out = [];
  let pos = 0;
  while (pos < file.length) {
    if (file[pos] === 0) {
      pos = pos - (pos % PAGE) + PAGE;
      continue;
    }
    const length = ((file[pos + 1] as number) << 8) | (file[pos + 2] as number);
    out.push({ type: file[pos] as number, length, offset: pos });
    pos += HEADER + length;
  }
  return out;
}

describe('Wal', () => {
  for (const compression of ['none', 'snappy'] as const) {
    it(`round-trips records of every size class (compression ${compression})`, async () => {
      const dir = freshDir();
      const wal = await open(dir, { compression, segmentSizeBytes: 4 * PAGE });
      const sizes = [0, 1, 100, PAGE - HEADER, PAGE - HEADER + 1, PAGE, 3 * PAGE + 5, 5 * PAGE, 17, 0];
      const recs = sizes.map((n, i) => testRecord(i, n));
      wal.log(recs.slice(0, 3));
      wal.log(recs.slice(3));
      await wal.close();
      const { records, err } = readAll(dir);
      assert.equal(err, null);
      assertRecords(records, recs);
    });
  }

  it('writes the fragment layout Prometheus writes: header, CRC32C, zero padding to the page on close', async () => {
    const dir = freshDir();
    const wal = await open(dir, { compression: 'none' });
    const rec = Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 0, 7]);
    wal.log([rec]);
    const seg = join(dir, '00000000');
    assert.equal(statSync(seg).size, HEADER + rec.length, 'each batch reaches the file before log() returns');
    await wal.close();
    const file = readFileSync(seg);
    assert.equal(file.length, PAGE);
    assert.equal(file[0], 1, 'full fragment');
    assert.equal(file.readUInt16BE(1), rec.length);
    assert.equal(file.readUInt32BE(3), crc32c(rec));
    assert.deepEqual(new Uint8Array(file.subarray(HEADER, HEADER + rec.length)), rec);
    assert.ok(
      file.subarray(HEADER + rec.length).every((b) => b === 0),
      'zero padding',
    );
  });

  it('splits records into first, middle and last fragments that never cross a page', async () => {
    const dir = freshDir();
    const wal = await open(dir, { compression: 'none' });
    wal.log([testRecord(1, 100), testRecord(2, 2 * PAGE + 10)]);
    await wal.close();
    const file = readFileSync(join(dir, '00000000'));
    const frags = fragments(file);
    assert.deepEqual(
      frags.map((f) => f.type),
      [1, 2, 3, 4],
    );
    assert.equal(frags[1]?.length, PAGE - 2 * HEADER - 100, 'the first fragment fills the page');
    assert.equal(frags[2]?.offset, PAGE);
    assert.equal(frags[2]?.length, PAGE - HEADER);
    assert.equal(frags[3]?.offset, 2 * PAGE);
    for (const f of frags) assert.ok((f.offset % PAGE) + HEADER + f.length <= PAGE, 'fragment within its page');
  });

  it('pads the page when fewer than 7 bytes are left, and writes a zero-length first fragment when exactly 7 are', async () => {
    const dir = freshDir();
    const wal = await open(dir, { compression: 'none' });
    wal.log([testRecord(1, PAGE - 2 * HEADER), testRecord(2, 50)]);
    wal.log([testRecord(3, PAGE - 67), testRecord(4, 9)]);
    await wal.close();
    const frags = fragments(readFileSync(join(dir, '00000000')));
    assert.deepEqual(
      frags.map((f) => [f.type, f.length, f.offset]),
      [
        [1, PAGE - 2 * HEADER, 0],
        [2, 0, PAGE - HEADER],
        [4, 50, PAGE],
        [1, PAGE - 67, PAGE + HEADER + 50],
        [1, 9, 2 * PAGE],
      ],
    );
    assertRecords(readAll(dir).records, [
      testRecord(1, PAGE - 2 * HEADER),
      testRecord(2, 50),
      testRecord(3, PAGE - 67),
      testRecord(4, 9),
    ]);
  });

  it('flags snappy-compressed records and keeps incompressible ones as they are', async () => {
    const dir = freshDir();
    const wal = await open(dir, { compression: 'snappy' });
    const compressible = new Uint8Array(5000).fill(3);
    const tiny = Uint8Array.from([1, 2, 3]);
    wal.log([compressible, tiny]);
    await wal.close();
    const frags = fragments(readFileSync(join(dir, '00000000')));
    assert.equal(frags[0]?.type, 1 | SNAPPY_FLAG);
    assert.ok((frags[0]?.length ?? 0) < 300, 'compressed');
    assert.equal(frags[1]?.type, 1);
    assert.ok(wal.stats().compressionSavedBytesTotal > 4700, 'saved bytes counted');
    assertRecords(readAll(dir).records, [compressible, tiny]);
  });

  it('starts a new segment when a record does not fit the rest of the active one', async () => {
    const dir = freshDir();
    const wal = await open(dir, { compression: 'none', segmentSizeBytes: 2 * PAGE });
    const a = testRecord(1, PAGE);
    const b = testRecord(2, PAGE);
    const huge = testRecord(3, 5 * PAGE);
    wal.log([a]);
    wal.log([b]);
    assert.equal(wal.stats().currentSegment, 1, 'b did not fit in what a left');
    wal.log([huge]);
    assert.equal(wal.stats().currentSegment, 2);
    wal.log([testRecord(4, 10)]);
    assert.equal(wal.stats().currentSegment, 3, 'a segment grown past its size takes nothing more');
    await wal.close();
    const segs = listSegments(dir);
    assert.deepEqual(
      segs.map((s) => s.index),
      [0, 1, 2, 3],
    );
    assert.equal(segs[0]?.sizeBytes, 2 * PAGE, 'a completed segment is padded to its last page');
    assert.ok((segs[2]?.sizeBytes ?? 0) > 5 * PAGE, 'a record larger than a segment stays whole');
    const r = WalReader.open({ dir });
    const where: number[] = [];
    while (r.next()) where.push(r.segment());
    assert.equal(r.err(), null);
    assert.deepEqual(where, [0, 1, 2, 3]);
  });

  it('round-trips many small records across many segments, with record offsets', async () => {
    const dir = freshDir();
    const wal = await open(dir, { compression: 'snappy', segmentSizeBytes: 2 * PAGE });
    const recs: Uint8Array[] = [];
    for (let batch = 0; batch < 400; batch++) {
      const b: Uint8Array[] = [];
      for (let i = 0; i < (batch % 7) + 1; i++) b.push(testRecord(batch * 10 + i, (batch * 31 + i * 17) % 300));
      wal.log(b);
      recs.push(...b);
    }
    await wal.close();
    assert.ok(listSegments(dir).length > 3, 'several segments');
    const r = WalReader.open({ dir });
    let i = 0;
    let lastEnd = 0;
    let lastSeg = -1;
    while (r.next()) {
      assert.ok(Buffer.from(r.record()).equals(Buffer.from(recs[i++] as Uint8Array)), `record ${i - 1}`);
      if (r.segment() !== lastSeg) lastEnd = 0;
      assert.ok(r.recordOffset() >= lastEnd && r.offset() > r.recordOffset(), 'offsets ascend');
      lastEnd = r.offset();
      lastSeg = r.segment();
    }
    assert.equal(r.err(), null);
    assert.equal(i, recs.length);
  });

  it('reads a range of segments, and a checkpoint before the log', async () => {
    const dir = freshDir();
    const wal = await open(dir, { compression: 'none' });
    wal.log([testRecord(0, 5)]);
    wal.nextSegment();
    wal.log([testRecord(1, 5)]);
    wal.nextSegment();
    wal.log([testRecord(2, 5)]);
    await wal.close();
    const cp = join(dir, checkpointName(0));
    const cpWal = await open(cp, { compression: 'none' });
    cpWal.log([testRecord(9, 5)]);
    await cpWal.close();
    const r = WalReader.open([{ dir: cp }, { dir, first: 1, last: 1 }]);
    const got: Uint8Array[] = [];
    while (r.next()) got.push(r.record().slice());
    assertRecords(got, [testRecord(9, 5), testRecord(1, 5)]);
  });

  it('appends after a reopen in a new segment, whether or not it was closed', async () => {
    const dir = freshDir();
    const first = await open(dir, { compression: 'none' });
    first.log([testRecord(1, 10)]);
    await first.close();
    const second = await open(dir);
    assert.equal(second.stats().currentSegment, 1);
    second.log([testRecord(2, 40_000)]);
    // Not closed, as after a crash: the records are in the file, the last page is not padded.
    const third = await open(dir);
    assert.equal(third.stats().currentSegment, 2);
    assert.equal(third.stats().corruptionsTotal, 0);
    third.log([testRecord(3, 10)]);
    await third.close();
    await second.close();
    const { records, err } = readAll(dir);
    assert.equal(err, null);
    assertRecords(records, [testRecord(1, 10), testRecord(2, 40_000), testRecord(3, 10)]);
  });

  it('reuses an empty last segment instead of adding another', async () => {
    const dir = freshDir();
    await (await open(dir)).close();
    await (await open(dir)).close();
    assert.deepEqual(readdirSync(dir), ['00000000']);
  });

  it('truncates segments below an index, never the active one', async () => {
    const dir = freshDir();
    const wal = await open(dir);
    for (let i = 0; i < 4; i++) {
      wal.log([testRecord(i, 10)]);
      wal.nextSegment();
    }
    assert.equal(wal.truncate(2), 2);
    assert.deepEqual(wal.segmentRange(), { first: 2, last: 4 });
    assert.equal(wal.truncate(100), 2);
    assert.deepEqual(
      listSegments(dir).map((s) => s.index),
      [4],
    );
    assert.equal(wal.stats().truncationsTotal, 2);
    await wal.close();
  });

  it('syncs under every policy and counts it', async () => {
    for (const fsync of ['always', 'segment', 'never'] as const) {
      const dir = freshDir();
      const wal = await open(dir, { fsync, segmentSizeBytes: PAGE, compression: 'none' });
      wal.log([testRecord(1, 100)]);
      wal.log([testRecord(2, PAGE)]);
      await wal.sync();
      const fsyncs = wal.stats().fsyncsTotal;
      assert.ok(fsyncs >= (fsync === 'always' ? 4 : 1), `${fsync}: ${fsyncs} fsyncs`);
      await Promise.all([wal.sync(), wal.close(), wal.close()]);
      assert.deepEqual(
        readAll(dir).records.map((r) => r.length),
        [100, PAGE],
      );
    }
  });

  it('refuses writes after close, and close is idempotent', async () => {
    const wal = await open(freshDir());
    const closing = wal.close();
    assert.equal(wal.close(), closing);
    await closing;
    assert.throws(() => wal.log([new Uint8Array(1)]), WalClosedError);
    assert.throws(() => wal.nextSegment(), WalClosedError);
  });

  it('validates its options, naming the field', async () => {
    const dir = freshDir();
    const cases: [Partial<WalOptions>, string][] = [
      [{ segmentSizeBytes: 1000 }, 'segmentSizeBytes'],
      [{ segmentSizeBytes: 0 }, 'segmentSizeBytes'],
      [{ compression: 'zstd' as 'none' }, 'compression'],
      [{ fsync: 'sometimes' as 'never' }, 'fsync'],
      [{ dir: '' }, 'dir'],
    ];
    for (const [o, field] of cases) {
      await assert.rejects(open(dir, o), (e: unknown) => e instanceof WalOptionsError && e.field === field);
    }
  });

  it('refuses a directory with a gap in its segments', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, '00000001'), '');
    writeFileSync(join(dir, '00000003'), '');
    await assert.rejects(open(dir), (e: unknown) => e instanceof WalSegmentGapError && e.missing === 2);
  });

  it('refuses zstd-compressed records instead of repairing them away', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const data = Uint8Array.from([1, 2, 3]);
    const frag = Buffer.alloc(HEADER + data.length);
    frag[0] = 1 | 0x10;
    frag.writeUInt16BE(data.length, 1);
    frag.writeUInt32BE(crc32c(data), 3);
    frag.set(data, HEADER);
    writeFileSync(join(dir, '00000000'), frag);
    await assert.rejects(open(dir), (e: unknown) => e instanceof WalUnsupportedError && e.segment === 0);
    assert.equal(statSync(join(dir, '00000000')).size, frag.length);
  });
});

describe('segment and checkpoint names', () => {
  it('formats and parses them as Prometheus does', () => {
    assert.equal(segmentName(42), '00000042');
    assert.equal(segmentName(123456789), '123456789');
    assert.equal(parseSegmentName('00000042'), 42);
    assert.equal(parseSegmentName('00000042.tmp'), -1);
    assert.equal(checkpointName(12), 'checkpoint.00000012');
    assert.equal(parseCheckpointName('checkpoint.00000012'), 12);
    assert.equal(parseCheckpointName('checkpoint.00000012.tmp'), -1);
  });

  it('lists, finds and deletes checkpoints', () => {
    const dir = freshDir();
    for (const n of [checkpointName(3), checkpointName(10), `${checkpointName(12)}.tmp`]) {
      mkdirSync(join(dir, n), { recursive: true });
    }
    writeFileSync(join(dir, '00000011'), '');
    assert.deepEqual(
      listCheckpoints(dir).map((c) => c.index),
      [3, 10],
    );
    assert.equal(lastCheckpoint(dir)?.index, 10);
    assert.equal(deleteTempCheckpoints(dir), 1);
    assert.equal(deleteCheckpoints(dir, 10), 1);
    assert.deepEqual(readdirSync(dir).sort(), ['00000011', 'checkpoint.00000010']);
    assert.equal(lastCheckpoint(dir)?.path, join(dir, 'checkpoint.00000010'));
  });
});
