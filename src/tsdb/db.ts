/**
 * The time-series database in one directory, with Prometheus' layout: `wal/`, `chunks_head/` and one
 * directory per block. Appends go to the head (logged to the WAL on commit); reads merge the blocks and the
 * head. `compact()` (run every minute once started) persists the head's oldest chunk range as a block,
 * checkpoints the WAL, merges blocks and applies retention. Single-process: the data directory lock is the
 * caller's (see store's DataDirLock).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/index.ts';
import type { Matcher } from '../model/index.ts';
import type { Appendable, Appender, Querier, Queryable } from '../storage/index.ts';
import {
  addInterval,
  type BlockMeta,
  type BlockReader,
  isUlid,
  openBlock,
  TMP_FOR_CREATION_SUFFIX,
  writeTombstones,
} from './block/index.ts';
import { blockRanges, plan } from './compact/plan.ts';
import { expiredBlocks } from './compact/retention.ts';
import { writeCheckpoint } from './db-checkpoint.ts';
import { mergeBlocks, writeHeadBlock } from './db-compact.ts';
import { replay } from './db-replay.ts';
import { Head, HeadAppender, type HeadLog, HeadQuerier, type MemSeries } from './head/index.ts';
import { expand } from './index/postings.ts';
import { postingsForMatchers } from './index/select.ts';
import { BlockQuerier } from './querier/block-querier.ts';
import { MergeQuerier } from './querier/merge-querier.ts';
import { RecordEncoder, type RefSeries, type Tombstone } from './record/index.ts';
import { deleteTempCheckpoints, Wal, type WalCompression, type WalFsyncPolicy } from './wal/index.ts';

export interface TsdbOptions {
  /** The TSDB directory (`<data-dir>/tsdb`); created when missing. */
  dir: string;
  logger: Logger;
  /** Blocks whose end is more than this behind the newest block's are deleted; 0 keeps them. @default 15d */
  retentionMs?: number;
  /** Most bytes for blocks, head chunks and WAL together; oldest blocks go first. 0 means no limit. @default 0 */
  retentionBytes?: number;
  /** The smallest block range, and the head's chunk range. @default 7200000 (2h) */
  blockRangeMs?: number;
  /** @default 'segment' (see Wal) */
  walFsync?: WalFsyncPolicy;
  /** @default 'snappy' */
  walCompression?: WalCompression;
  /** WAL segment size. @default 128 MiB */
  walSegmentBytes?: number;
  /** How often `start()` runs `compact()`. @default 60000 */
  compactIntervalMs?: number;
}

interface LoadedBlock {
  reader: BlockReader;
  sizeBytes: number;
}

export class Tsdb implements Appendable, Queryable {
  private blocks: LoadedBlock[] = [];
  private timer: NodeJS.Timeout | undefined;
  private compacting: Promise<void> | undefined;
  private closed = false;
  private retention: { retentionMs: number; retentionBytes: number };
  readonly stats = { compactions: 0, compactionFailures: 0, headBlocksWritten: 0, blocksDeleted: 0, checkpoints: 0 };

  private constructor(
    readonly options: TsdbOptions,
    readonly head: Head,
    readonly wal: Wal,
    private readonly walCompression: WalCompression,
  ) {
    this.retention = {
      retentionMs: options.retentionMs ?? 15 * 86_400_000,
      retentionBytes: options.retentionBytes ?? 0,
    };
  }

  /** Opens the directory: loads blocks, repairs the WAL tail, replays it into the head. */
  static async open(options: TsdbOptions): Promise<Tsdb> {
    const { dir, logger } = options;
    const blockRangeMs = options.blockRangeMs ?? 2 * 3600_000;
    const blocks = await loadBlocks(dir, logger);
    const walDir = join(dir, 'wal');
    deleteTempCheckpointsIfAny(walDir);
    const walCompression = options.walCompression ?? 'snappy';
    const wal = await Wal.open({
      dir: walDir,
      logger,
      fsync: options.walFsync ?? 'segment',
      compression: walCompression,
      ...(options.walSegmentBytes ? { segmentSizeBytes: options.walSegmentBytes } : {}),
    });
    const head = new Head({ chunksDir: join(dir, 'chunks_head'), logger, chunkRangeMs: blockRangeMs });
    // Samples already in a block (a crash between writing it and checkpointing the WAL) are not loaded again.
    head.minValidTime = Math.max(Number.NEGATIVE_INFINITY, ...blocks.map((b) => b.reader.meta.maxTime));
    const stats = replay(head, walDir, logger);
    for (const e of stats.errors) logger.warn('WAL replay: a record could not be read; it was skipped', { error: e });
    logger.info('WAL replay completed', {
      series: stats.series,
      samples: stats.samples,
      mmapped_chunks: stats.mmappedChunks,
      duration_ms: stats.durationMs,
    });
    Object.assign(head.stats, { samplesAppended: 0, outOfOrderAtCommit: 0, seriesCreated: 0, chunksCreated: 0 });
    const db = new Tsdb(options, head, wal, walCompression);
    db.blocks = blocks;
    head.log = db.walLog();
    return db;
  }

  /** Runs `compact()` every `compactIntervalMs` until `close()`. */
  start(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setInterval(() => {
      void this.compact().catch((err) => {
        this.stats.compactionFailures++;
        this.options.logger.error('TSDB maintenance failed; it is retried at the next interval', { err });
      });
    }, this.options.compactIntervalMs ?? 60_000);
    this.timer.unref();
  }

  appender(): Appender {
    return new HeadAppender(this.head);
  }

  querier(mint: number, maxt: number): Querier {
    const parts: Querier[] = [];
    for (const b of this.blocks) {
      const m = b.reader.meta;
      if (m.minTime <= maxt && m.maxTime > mint) parts.push(new BlockQuerier(b.reader, mint, maxt));
    }
    if (this.head.numSeries > 0 && this.head.maxTime >= mint && this.head.minTime <= maxt) {
      parts.push(new HeadQuerier(this.head, mint, maxt));
    }
    return new MergeQuerier(parts);
  }

  /** Applies new retention settings (from a config reload); the next maintenance round uses them. */
  setRetention(retentionMs: number, retentionBytes: number): void {
    this.retention = { retentionMs, retentionBytes };
  }

  /**
   * Deletes the samples in `[mint, maxt]` (Unix ms, inclusive) of the series matching `matchers`: tombstones
   * in the blocks (their `tombstones` files) and in the head (logged to the WAL). Queries skip deleted samples at
   * once; compaction drops them from disk (`cleanTombstones()` does it now). Returns how many series were hit.
   */
  async delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
    const iv = { mint, maxt };
    let hit = 0;
    for (const b of this.blocks) {
      const r = b.reader;
      if (r.meta.minTime > maxt || r.meta.maxTime <= mint) continue;
      const stones = new Map(r.tombstones);
      let changed = false;
      for (const ref of expand(postingsForMatchers(r.index, matchers))) {
        if (!r.index.series(ref).chunks.some((c) => c.maxTime >= mint && c.minTime <= maxt)) continue;
        stones.set(ref, addInterval(stones.get(ref) ?? [], iv));
        changed = true;
        hit++;
      }
      if (changed) {
        await writeTombstones(r.dir, stones);
        r.tombstones = stones;
      }
    }
    const headStones: Tombstone[] = [];
    for (const ref of expand(postingsForMatchers(this.head.postings, matchers))) {
      const s = this.head.seriesByRef(ref);
      if (s === undefined || s.maxt < mint || s.mint > maxt) continue;
      this.head.tombstones.set(ref, addInterval(this.head.tombstones.get(ref) ?? [], iv));
      headStones.push({ ref, mintMs: mint, maxtMs: maxt });
      hit++;
    }
    if (headStones.length > 0) {
      this.wal.log([new RecordEncoder().tombstones(headStones)]);
      await this.wal.sync();
    }
    return hit;
  }

  /** Rewrites every block that has tombstones without the deleted samples (Prometheus' clean_tombstones). */
  async cleanTombstones(): Promise<number> {
    let cleaned = 0;
    for (const b of [...this.blocks]) {
      if (b.reader.tombstones.size === 0) continue;
      const meta = await mergeBlocks([b.reader], this.options.dir);
      const fresh = await loadBlock(join(this.options.dir, meta.ulid));
      this.blocks = this.blocks.map((x) => (x === b ? fresh : x));
      await rm(b.reader.dir, { recursive: true, force: true });
      retire(b.reader);
      cleaned++;
    }
    return cleaned;
  }

  /** Blocks' metas, oldest first. */
  blockMetas(): BlockMeta[] {
    return this.blocks.map((b) => b.reader.meta);
  }

  /** Bytes on disk: blocks, head chunk files, WAL. */
  sizeBytes(): number {
    return this.blocks.reduce((n, b) => n + b.sizeBytes, 0) + this.head.files.sizeBytes() + dirSize(this.wal.dir);
  }

  /** One round of maintenance. Concurrent calls share the round in progress. */
  compact(): Promise<void> {
    this.compacting ??= this.doCompact().finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  private async doCompact(): Promise<void> {
    const { logger } = this.options;
    const range = this.head.chunkRangeMs;
    // The head keeps 1.5 ranges; the oldest full range beyond that becomes a block.
    while (!this.closed && this.head.maxTime - this.head.minTime > (range / 2) * 3) {
      const mint = this.head.minTime;
      const maxt = Math.trunc(mint / range) * range + range;
      this.head.flush();
      const meta = await writeHeadBlock(this.head, this.options.dir, mint, maxt);
      if (meta !== null) {
        this.blocks.push(await loadBlock(join(this.options.dir, meta.ulid)));
        this.blocks.sort((a, b) => a.reader.meta.minTime - b.reader.meta.minTime);
        this.stats.headBlocksWritten++;
        logger.info('wrote block from the head', {
          ulid: meta.ulid,
          min_time: mint,
          max_time: maxt,
          series: meta.stats.numSeries,
        });
      }
      this.head.truncate(maxt);
      await this.truncateWal(maxt);
    }
    for (;;) {
      const ulids = plan(
        this.blocks.map((b) => ({
          ulid: b.reader.meta.ulid,
          minTime: b.reader.meta.minTime,
          maxTime: b.reader.meta.maxTime,
          numSeries: b.reader.meta.stats.numSeries,
          numTombstoneSeries: b.reader.tombstones.size,
        })),
        blockRanges(this.retention.retentionMs, range),
      );
      if (ulids.length === 0 || this.closed) break;
      const group = this.blocks.filter((b) => ulids.includes(b.reader.meta.ulid));
      const meta = await mergeBlocks(
        group.map((b) => b.reader),
        this.options.dir,
      );
      const merged = await loadBlock(join(this.options.dir, meta.ulid));
      this.blocks = [...this.blocks.filter((b) => !ulids.includes(b.reader.meta.ulid)), merged].sort(
        (a, b) => a.reader.meta.minTime - b.reader.meta.minTime,
      );
      for (const b of group) {
        await rm(b.reader.dir, { recursive: true, force: true });
        retire(b.reader);
      }
      this.stats.compactions++;
      logger.info('compacted blocks', { into: meta.ulid, from: ulids, compaction_level: meta.compaction.level });
    }
    this.applyRetention();
  }

  private applyRetention(): void {
    const doomed = expiredBlocks(
      this.blocks.map((b) => ({
        ulid: b.reader.meta.ulid,
        minTime: b.reader.meta.minTime,
        maxTime: b.reader.meta.maxTime,
        sizeBytes: b.sizeBytes,
      })),
      this.retention.retentionMs,
      this.retention.retentionBytes,
      this.head.files.sizeBytes() + dirSize(this.wal.dir),
    );
    if (doomed.length === 0) return;
    for (const b of this.blocks.filter((x) => doomed.includes(x.reader.meta.ulid))) {
      rmSync(b.reader.dir, { recursive: true, force: true });
      retire(b.reader);
      this.options.logger.info('deleted block by retention', { ulid: b.reader.meta.ulid });
    }
    this.blocks = this.blocks.filter((b) => !doomed.includes(b.reader.meta.ulid));
    this.stats.blocksDeleted += doomed.length;
  }

  /** After head truncation: a new segment, a checkpoint of the older two thirds, and those segments deleted. */
  private async truncateWal(mint: number): Promise<void> {
    this.wal.nextSegment();
    const { first, last: current } = this.wal.segmentRange();
    const last = first + Math.trunc(((current - 1 - first) * 2) / 3);
    if (last < first || current - 1 <= first) return;
    const head = this.head;
    const stats = await writeCheckpoint(this.wal.dir, first, last, (ref) => head.seriesByRef(ref) !== undefined, mint, {
      logger: this.options.logger,
      compression: this.walCompression,
    });
    this.wal.truncate(last + 1);
    this.stats.checkpoints++;
    this.options.logger.debug('WAL checkpoint written', { ...stats });
  }

  /** The head's log: new series and samples of a commit as WAL records, written before the commit returns. */
  private walLog(): HeadLog {
    // The samples record of every commit is built in one reused buffer (log() writes it before returning). Series
    // records are rare and can be large (a first scrape's labels): their buffer goes with the commit.
    const samplesEnc = new RecordEncoder({ views: true });
    const wal = this.wal;
    return {
      async logCommit(series: readonly MemSeries[], refs, ts, vs, n) {
        const records: Uint8Array[] = [];
        if (series.length > 0) {
          const rs: RefSeries[] = series.map((s) => {
            const labels: Array<{ name: string; value: string }> = [];
            s.labels.forEach((name, value) => {
              labels.push({ name, value });
            });
            return { ref: s.ref, labels };
          });
          records.push(new RecordEncoder({ views: true }).series(rs));
        }
        if (n > 0) records.push(samplesEnc.samples({ length: n, refs, timestampsMs: ts, values: vs }));
        wal.log(records);
      },
    };
  }

  /** Stops maintenance, waits for a round in progress, writes out the head chunk files and closes the WAL. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.compacting?.catch(() => {});
    this.head.close();
    await this.wal.close();
    for (const b of this.blocks) b.reader.close();
  }
}

/**
 * Closes a deleted block's files a minute later: a query that selected it before the deletion may still be
 * reading its chunks (the files stay readable through the open descriptors until then).
 */
function retire(reader: BlockReader): void {
  setTimeout(() => reader.close(), 60_000).unref();
}

/** Reads the blocks in `dir`, skipping (with an error log) any that cannot be read; removes half-written ones. */
async function loadBlocks(dir: string, logger: Logger): Promise<LoadedBlock[]> {
  if (!existsSync(dir)) return [];
  const out: LoadedBlock[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.endsWith(TMP_FOR_CREATION_SUFFIX)) {
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (!isUlid(name) || !existsSync(join(path, 'meta.json'))) continue;
    try {
      out.push(await loadBlock(path));
    } catch (err) {
      logger.error('block cannot be read; it is left out of queries and compaction', { block: path, err });
    }
  }
  return out.sort((a, b) => a.reader.meta.minTime - b.reader.meta.minTime);
}

async function loadBlock(path: string): Promise<LoadedBlock> {
  return { reader: await openBlock(path), sizeBytes: dirSize(path) };
}

function deleteTempCheckpointsIfAny(walDir: string): void {
  if (existsSync(walDir)) deleteTempCheckpoints(walDir);
}

function dirSize(path: string): number {
  let n = 0;
  if (!existsSync(path)) return 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
}
