import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher } from '../../model/index.ts';
import { type Appender, MemoryStorage } from '../../storage/index.ts';
import { storageContract } from '../../storage/testing.ts';
import { type BlockReader, type BlockSeriesInput, openBlock, writeBlock } from '../block/index.ts';
import { Encoding, XorAppender } from '../chunkenc/index.ts';
import { BlockQuerier } from './block-querier.ts';

/**
 * A storage whose reads go through a real block: every commit rewrites one block from all samples so far
 * (validated by an in-memory storage) and opens it again.
 */
storageContract('BlockQuerier', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-blockq-'));
  const memory = new MemoryStorage();
  let block: BlockReader | undefined;
  let generation = 0;

  async function rebuild(): Promise<void> {
    const q = memory.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const set = q.select(true, undefined, [Matcher.create('=~', '__name__', '.+')]);
    const series: BlockSeriesInput[] = [];
    while (set.next()) {
      const s = set.at();
      const c = s.cursor();
      const chunks: BlockSeriesInput['chunks'][number][] = [];
      let app = new XorAppender();
      let mint = 0;
      let maxt = 0;
      const flush = () => {
        if (app.numSamples() > 0)
          chunks.push({ minTime: mint, maxTime: maxt, encoding: Encoding.XOR, data: app.bytes().slice() });
        app = new XorAppender();
      };
      while (c.next()) {
        if (app.numSamples() === 0) mint = c.atT();
        app.append(c.atT(), c.atV());
        maxt = c.atT();
        if (app.numSamples() === 120) flush();
      }
      flush();
      series.push({ labels: s.labels, chunks });
    }
    const sub = join(dir, String(generation++));
    const meta = await writeBlock(sub, series);
    block = await openBlock(join(sub, meta.ulid));
  }

  return {
    storage: {
      appender(): Appender {
        const inner = memory.appender();
        return {
          append: (l, t, v, ref) => inner.append(l, t, v, ref),
          rollback: () => inner.rollback(),
          commit: async () => {
            await inner.commit();
            await rebuild();
          },
        };
      },
      querier(mint: number, maxt: number) {
        if (block === undefined) return memory.querier(mint, maxt);
        return new BlockQuerier(block, mint, maxt);
      },
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
