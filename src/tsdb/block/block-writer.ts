/**
 * Writes a block directory as Prometheus does: everything goes into `<ulid>.tmp-for-creation` next to the final
 * directory (chunk segments, index, meta.json, an empty tombstones file), every file and the directory are
 * fsynced, and only then is it renamed to `<ulid>`, so a crash never leaves a partial block under a block's
 * name. Prometheus deletes leftover `*.tmp-for-creation` directories when it opens a data directory.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CHUNKS_DIRNAME } from './chunks-format.ts';
import { ChunkWriter, type ChunkWriterOptions } from './chunks-writer.ts';
import { BlockWriteError } from './errors.ts';
import { syncDir } from './fileutil.ts';
import { INDEX_FILENAME } from './index-format.ts';
import { IndexWriter } from './index-writer.ts';
import { type BlockMeta, META_VERSION, writeMeta } from './meta.ts';
import { writeTombstones } from './tombstones.ts';
import { UlidGenerator } from './ulid.ts';

/** Suffix of the directory a block is written in before it is renamed into place. */
export const TMP_FOR_CREATION_SUFFIX = '.tmp-for-creation';

export interface BlockWriterOptions extends ChunkWriterOptions {
  /** The block's ULID. @default a new one from the current time */
  ulid?: string;
}

/**
 * One block being written. Use `chunks` and `index` (chunks first, so their refs can go in the index), then
 * `commit(meta)`; on any failure call `abort()`, which removes the temporary directory. Not safe for
 * concurrent use.
 */
export class BlockWriter {
  private done = false;

  private constructor(
    readonly ulid: string,
    /** Where the block will be once committed. */
    readonly dir: string,
    /** Where it is written meanwhile. */
    readonly tmpDir: string,
    readonly chunks: ChunkWriter,
    readonly index: IndexWriter,
  ) {}

  /** Starts a block in `parentDir` (a data directory), replacing any leftover temporary directory of it. */
  static async create(parentDir: string, options: BlockWriterOptions = {}): Promise<BlockWriter> {
    const ulid = options.ulid ?? new UlidGenerator().next();
    const dir = join(parentDir, ulid);
    const tmpDir = dir + TMP_FOR_CREATION_SUFFIX;
    await rm(tmpDir, { recursive: true, force: true });
    await mkdir(tmpDir, { recursive: true });
    let chunks: ChunkWriter | undefined;
    try {
      chunks = ChunkWriter.create(join(tmpDir, CHUNKS_DIRNAME), options);
      return new BlockWriter(ulid, dir, tmpDir, chunks, IndexWriter.create(join(tmpDir, INDEX_FILENAME)));
    } catch (err) {
      await chunks?.abort();
      await rm(tmpDir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Finishes the files, writes meta.json (with this block's ULID and version) and an empty tombstones file,
   * fsyncs, and renames the directory into place, replacing a block of the same ULID. Returns the final meta.
   */
  async commit(meta: Omit<BlockMeta, 'ulid' | 'version'>): Promise<BlockMeta> {
    if (this.done) throw new BlockWriteError(this.tmpDir, 'stage', 'block already committed or aborted');
    this.done = true;
    const full: BlockMeta = { ...meta, ulid: this.ulid, version: META_VERSION };
    try {
      await this.chunks.close();
      await this.index.close();
      await writeMeta(this.tmpDir, full);
      await writeTombstones(this.tmpDir, new Map());
      await syncDir(join(this.tmpDir, CHUNKS_DIRNAME));
      await syncDir(this.tmpDir);
      await rm(this.dir, { recursive: true, force: true });
      await rename(this.tmpDir, this.dir);
      await syncDir(join(this.dir, '..'));
    } catch (err) {
      await this.cleanup();
      throw err;
    }
    return full;
  }

  /** Drops the block: closes the files and removes the temporary directory. Idempotent, never throws. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    await this.chunks.abort();
    await this.index.abort();
    await rm(this.tmpDir, { recursive: true, force: true }).catch(() => {});
  }
}
