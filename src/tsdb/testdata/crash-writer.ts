/**
 * The database crash test's writer (see ../crash.test.ts), run as `node --import tsx crash-writer.ts CONFIG`
 * with CONFIG a JSON `CrashWriterConfig`. It opens the database, finds where its data ends by querying, prints
 * `start N` (N the first batch it will write), then commits batch after batch and prints each batch's number
 * once `commit()` resolved, until it is killed. With `compact`, it also starts `compact()` after every commit
 * without waiting for it, as the maintenance timer would, and lets the event loop turn, so that compaction runs
 * between commits and a kill can land inside head compaction, WAL checkpointing or block merging. The data is a function of the batch number, for the test to check.
 * Not part of the build's public names.
 */
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../../log/index.ts';
import { Labels, Matcher } from '../../model/index.ts';
import { Tsdb } from '../db.ts';
import type { WalFsyncPolicy } from '../wal/index.ts';

export interface CrashWriterConfig {
  dir: string;
  walFsync: WalFsyncPolicy;
  /** Start `compact()` after every commit. */
  compact: boolean;
  /** Stop (and close cleanly) after this many batches; the test kills the writer long before. */
  maxBatches: number;
}

/** First sample's timestamp, Unix ms. */
export const CRASH_T0_MS = 1_700_000_000_000;
export const CRASH_STEP_MS = 1000;
/** Samples per steady series in one batch, `CRASH_STEP_MS` apart. */
export const CRASH_SAMPLES_PER_BATCH = 3;
/** 30 s: ten batches per block range, so that a round crosses many of them. */
export const CRASH_BLOCK_RANGE_MS = 30_000;
export const CRASH_WAL_SEGMENT_BYTES = 32 * 1024;
export const CRASH_STEADY_SERIES = 5;
/** A new churn series every this many batches; the previous one ends (and leaves the head once compacted). */
export const CRASH_CHURN_BATCHES = 25;

export const steadyLabels = (i: number): Labels =>
  Labels.fromObject({ __name__: 'vigil_crash', series: String(i), kind: i % 2 === 0 ? 'even' : 'odd' });
export const churnLabels = (gen: number): Labels =>
  Labels.fromObject({ __name__: 'vigil_crash_churn', gen: String(gen).padStart(4, '0') });

/** Timestamp of sample `k` of a batch (the churn series' one sample is at `k` = 1). */
export const sampleTimeMs = (batch: number, k: number): number =>
  CRASH_T0_MS + (batch * CRASH_SAMPLES_PER_BATCH + k) * CRASH_STEP_MS;
/** The batch a timestamp belongs to. */
export const batchOfTime = (t: number): number =>
  Math.floor((t - CRASH_T0_MS) / CRASH_STEP_MS / CRASH_SAMPLES_PER_BATCH);
/** Values exact in binary (multiples of 1/16), negative and positive, jumping about so that XOR works. */
export const steadyValue = (batch: number, series: number, k: number): number =>
  ((batch * 7919 + series * 104_729 + k * 31) % 100_003) / 16 - 3000;
export const churnValue = (batch: number): number => batch * 0.25 + 0.125;

/** The first batch not in `db`: one past the newest batch any crash series has a sample of; 0 when empty. */
export function nextBatch(db: Tsdb): number {
  const q = db.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  try {
    const set = q.select(false, undefined, [Matcher.create('=~', '__name__', 'vigil_crash.*')]);
    let newest = Number.NEGATIVE_INFINITY;
    while (set.next()) {
      const c = set.at().cursor();
      while (c.next()) if (c.atT() > newest) newest = c.atT();
      if (c.err() !== null) throw c.err();
    }
    if (set.err() !== null) throw set.err();
    return Number.isFinite(newest) ? batchOfTime(newest) + 1 : 0;
  } finally {
    q.close();
  }
}

async function main(config: CrashWriterConfig): Promise<void> {
  const logger = createLogger({ level: 'warn', write: (line) => writeSync(2, line) });
  const db = await Tsdb.open({
    dir: config.dir,
    logger,
    blockRangeMs: CRASH_BLOCK_RANGE_MS,
    walFsync: config.walFsync,
    walSegmentBytes: CRASH_WAL_SEGMENT_BYTES,
  });
  const start = nextBatch(db);
  writeSync(1, `start ${start}\n`);
  const steady = Array.from({ length: CRASH_STEADY_SERIES }, (_, i) => steadyLabels(i));
  const refs = steady.map(() => 0);
  let churnRef = 0;
  const compactionFailed = (err: unknown) => {
    writeSync(2, `compaction failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(3);
  };
  for (let b = start; b < start + config.maxBatches; b++) {
    const app = db.appender();
    for (let i = 0; i < steady.length; i++) {
      for (let k = 0; k < CRASH_SAMPLES_PER_BATCH; k++) {
        refs[i] = app.append(steady[i] as Labels, sampleTimeMs(b, k), steadyValue(b, i, k), refs[i]);
      }
    }
    if (b % CRASH_CHURN_BATCHES === 0) churnRef = 0;
    churnRef = app.append(
      churnLabels(Math.floor(b / CRASH_CHURN_BATCHES)),
      sampleTimeMs(b, 1),
      churnValue(b),
      churnRef,
    );
    await app.commit();
    writeSync(1, `${b}\n`);
    if (config.compact) {
      void db.compact().catch(compactionFailed);
      // Commits resolve without I/O waits: yield, or compaction's file operations would never get a turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await db.close();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(JSON.parse(process.argv[2] ?? '{}') as CrashWriterConfig).catch((err: unknown) => {
    writeSync(2, `crash writer failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  });
}
