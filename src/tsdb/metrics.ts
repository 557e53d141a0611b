/** The TSDB's self-metrics, in Prometheus' `prometheus_tsdb_*` style, read from the database when scraped. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Tsdb } from './db.ts';

/** Registers the TSDB's metrics on `registry`; values are read from `db` at each scrape. */
export function registerTsdbMetrics(db: Tsdb, registry: Registry): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const head = db.head;
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  gauge('vigil_tsdb_head_series', 'Series in the head.', () => head.numSeries);
  counter('vigil_tsdb_head_samples_appended_total', 'Samples appended to the head.', () => head.stats.samplesAppended);
  counter('vigil_tsdb_head_series_created_total', 'Series created in the head.', () => head.stats.seriesCreated);
  counter('vigil_tsdb_head_series_removed_total', 'Series removed from the head.', () => head.stats.seriesRemoved);
  counter(
    'vigil_tsdb_head_chunks_created_total',
    'Head chunks cut (written to chunks_head).',
    () => head.stats.chunksCreated,
  );
  counter(
    'vigil_tsdb_head_chunks_removed_total',
    'Head chunks dropped after compaction.',
    () => head.stats.chunksRemoved,
  );
  counter(
    'vigil_tsdb_out_of_order_samples_total',
    'Samples dropped at commit because a newer sample of the series had been committed meanwhile.',
    () => head.stats.outOfOrderAtCommit,
  );
  gauge('vigil_tsdb_head_min_time', 'Oldest sample in the head, Unix ms (0 when empty).', () => finite(head.minTime));
  gauge('vigil_tsdb_head_max_time', 'Newest sample in the head, Unix ms (0 when empty).', () => finite(head.maxTime));
  counter(
    'vigil_tsdb_wal_corruptions_total',
    'WAL corruptions found and repaired at open.',
    () => db.wal.stats().corruptionsTotal,
  );
  counter(
    'vigil_tsdb_wal_truncations_total',
    'WAL truncations after checkpoints.',
    () => db.wal.stats().truncationsTotal,
  );
  gauge(
    'vigil_tsdb_wal_segment_current',
    'Index of the WAL segment being written.',
    () => db.wal.stats().currentSegment,
  );
  counter('vigil_tsdb_checkpoint_creations_total', 'WAL checkpoints written.', () => db.stats.checkpoints);
  counter('vigil_tsdb_compactions_total', 'Block compactions (merges of blocks).', () => db.stats.compactions);
  counter('vigil_tsdb_head_block_writes_total', 'Blocks written from the head.', () => db.stats.headBlocksWritten);
  counter('vigil_tsdb_compactions_failed_total', 'Maintenance rounds that failed.', () => db.stats.compactionFailures);
  counter('vigil_tsdb_retention_deleted_blocks_total', 'Blocks deleted by retention.', () => db.stats.blocksDeleted);
  gauge('vigil_tsdb_blocks_loaded', 'Persisted blocks.', () => db.blockMetas().length);
  gauge('vigil_tsdb_storage_bytes', 'Bytes on disk: blocks, head chunk files and WAL.', () => db.sizeBytes());
}
