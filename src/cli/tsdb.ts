/** `vigil tsdb …`: backfill from OpenMetrics, list blocks, analyze cardinality. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createParser, Entry, lineCol } from '../exposition/index.ts';
import { formatDurationMs } from '../model/index.ts';
import { BlockBuilder, type BlockMeta, openBlock } from '../tsdb/index.ts';
import { UsageError } from './errors.ts';

const twoHoursMs = 2 * 3600_000;

/** What went wrong where: `FILE:LINE: reason`. */
class ImportError extends Error {}

/**
 * `vigil tsdb import openmetrics FILE`: OpenMetrics text with a timestamp on every sample and `# EOF`, as
 * `promtool tsdb create-blocks-from openmetrics` reads it, written as 2h blocks into `<data-dir>/tsdb`. The file
 * is checked whole before anything is written, and blocks are staged and moved into place only when all are
 * written, so a failed import leaves nothing behind.
 */
export async function tsdbImportOpenMetrics(file: string, flags: { dataDir: string }): Promise<number> {
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (err) {
    process.stderr.write(`vigil: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  const tsdbDir = join(resolve(flags.dataDir), 'tsdb');
  const staging = join(tsdbDir, `.import-${process.pid}-${Date.now()}`);
  const progress = new Progress(body.length);
  try {
    const { mint, maxt, samples } = scan(file, body);
    if (samples === 0) {
      process.stderr.write(`vigil: ${file} has no samples; nothing imported\n`);
      return 0;
    }
    mkdirSync(staging, { recursive: true });
    const written: BlockMeta[] = [];
    for (let start = Math.floor(mint / twoHoursMs) * twoHoursMs; start <= maxt; start += twoHoursMs) {
      const builder = fill(file, body, new BlockBuilder(start, start + twoHoursMs), progress);
      const meta = await builder.write(staging);
      if (meta !== null) written.push(meta);
      progress.blocks = written.length;
      progress.show(true);
    }
    for (const m of written) renameSync(join(staging, m.ulid), join(tsdbDir, m.ulid));
    rmSync(staging, { recursive: true, force: true });
    progress.done();
    process.stdout.write(
      `imported ${samples} samples into ${written.length} block${written.length === 1 ? '' : 's'} in ${tsdbDir}\n`,
    );
    if (existsSync(join(resolve(flags.dataDir), 'lock'))) {
      process.stderr.write(
        'note: a vigil is running on this data directory; it reads the new blocks at its next start\n',
      );
    }
    return 0;
  } catch (err) {
    progress.done();
    rmSync(staging, { recursive: true, force: true });
    if (err instanceof ImportError) {
      process.stderr.write(`${err.message}\nnothing was imported\n`);
      return 1;
    }
    throw err;
  }
}

/** First pass: checks the whole file and finds its time range. */
function scan(file: string, body: Buffer): { mint: number; maxt: number; samples: number } {
  const p = createParser(body, 'openmetrics-1.0.0');
  let mint = Number.POSITIVE_INFINITY;
  let maxt = Number.NEGATIVE_INFINITY;
  let samples = 0;
  for (;;) {
    const e = p.next();
    if (e === Entry.Eof) break;
    if (e === Entry.Invalid) {
      const err = p.err();
      throw new ImportError(`${file}:${err?.line ?? 0}: ${err?.reason ?? 'invalid input'}`);
    }
    if (e !== Entry.Sample) continue;
    if (!p.hasTimestamp()) {
      throw new ImportError(
        `${file}:${lineCol(body, p.seriesStart()).line}: sample without a timestamp (backfill needs one on every sample)`,
      );
    }
    const t = p.timestampMs();
    if (t < mint) mint = t;
    if (t > maxt) maxt = t;
    samples++;
  }
  return { mint, maxt, samples };
}

/** A pass over the file collecting the samples of the builder's range. */
function fill(file: string, body: Buffer, builder: BlockBuilder, progress: Progress): BlockBuilder {
  const p = createParser(body, 'openmetrics-1.0.0');
  let n = 0;
  for (let e = p.next(); e !== Entry.Eof && e !== Entry.Invalid; e = p.next()) {
    if (e !== Entry.Sample) continue;
    const t = p.timestampMs();
    if (t < builder.mint || t >= builder.maxt) continue;
    try {
      builder.add(p.seriesKey(), () => p.labels(), t, p.value());
    } catch (err) {
      throw new ImportError(`${file}:${lineCol(body, p.seriesStart()).line}: ${(err as Error).message}`);
    }
    if (++n % 65536 === 0) {
      progress.read = p.seriesStart();
      progress.show(false);
    }
  }
  progress.samples += builder.numSamples;
  progress.series = Math.max(progress.series, builder.numSeries);
  return builder;
}

/** Progress on a terminal (stderr): bytes read, series, samples, blocks written. Silent otherwise. */
class Progress {
  read = 0;
  series = 0;
  samples = 0;
  blocks = 0;
  private last = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  show(force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.last < 250) return;
    this.last = now;
    const mb = (n: number) => (n / 1048576).toFixed(1);
    process.stderr.write(
      `\rread ${mb(this.read)}/${mb(this.total)} MiB, ${this.series} series, ${this.samples} samples, ${this.blocks} blocks written `,
    );
  }

  done(): void {
    if (this.tty && this.last > 0) process.stderr.write('\n');
  }
}

async function blocksOf(dataDir: string) {
  const dir = join(resolve(dataDir), 'tsdb');
  if (!existsSync(dir)) throw new UsageError(`no TSDB at ${dir}`);
  const names = readdirSync(dir).filter(
    (n) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(n) && existsSync(join(dir, n, 'meta.json')),
  );
  const blocks = [];
  for (const n of names) blocks.push(await openBlock(join(dir, n)));
  return blocks.sort((a, b) => a.meta.minTime - b.meta.minTime);
}

function dirBytes(path: string): number {
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)}${units[u]}`;
}

/** `vigil tsdb list`: one line per block, as `promtool tsdb list`. */
export async function tsdbList(flags: { dataDir: string }): Promise<number> {
  const blocks = await blocksOf(flags.dataDir);
  const rows = [['BLOCK ULID', 'MIN TIME', 'MAX TIME', 'DURATION', 'NUM SAMPLES', 'NUM CHUNKS', 'NUM SERIES', 'SIZE']];
  for (const b of blocks) {
    const m = b.meta;
    rows.push([
      m.ulid,
      new Date(m.minTime).toISOString(),
      new Date(m.maxTime).toISOString(),
      formatDurationMs(m.maxTime - m.minTime),
      String(m.stats.numSamples),
      String(m.stats.numChunks),
      String(m.stats.numSeries),
      humanBytes(dirBytes(b.dir)),
    ]);
  }
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  for (const r of rows)
    process.stdout.write(
      `${r
        .map((c, i) => c.padEnd(widths[i] as number))
        .join('  ')
        .trimEnd()}\n`,
    );
  return 0;
}

/** `vigil tsdb analyze [--block ULID] [--limit N]`: cardinality of a block, as `promtool tsdb analyze`. */
export async function tsdbAnalyze(flags: { dataDir: string; block?: string; limit: string }): Promise<number> {
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit: expected a positive integer, got ${JSON.stringify(flags.limit)}`);
  const blocks = await blocksOf(flags.dataDir);
  const block = flags.block ? blocks.find((b) => b.meta.ulid === flags.block) : blocks.at(-1);
  if (block === undefined) {
    process.stderr.write(flags.block ? `vigil: no block ${flags.block}\n` : 'vigil: no blocks to analyze\n');
    return 1;
  }
  const { index, meta } = block;
  const valuesPerName = new Map<string, number>();
  const lengthPerName = new Map<string, number>();
  const pairCount = new Map<string, number>();
  const seriesPerMetric = new Map<string, number>();
  let entries = 0;
  const all = index.all();
  let series = 0;
  while (all.next()) {
    series++;
    index.series(all.at()).labels.forEach((n, v) => {
      entries++;
      const pair = `${n}=${v}`;
      pairCount.set(pair, (pairCount.get(pair) ?? 0) + 1);
      if (n === '__name__') seriesPerMetric.set(v, (seriesPerMetric.get(v) ?? 0) + 1);
    });
  }
  for (const name of index.labelNames()) {
    const values = index.labelValues(name);
    valuesPerName.set(name, values.length);
    lengthPerName.set(
      name,
      values.reduce((s, v) => s + Buffer.byteLength(v), 0),
    );
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([k, v]) => `${v} ${k}`)
      .join('\n');
  const out = [
    `Block ID: ${meta.ulid}`,
    `Duration: ${formatDurationMs(meta.maxTime - meta.minTime)}`,
    `Series: ${series}`,
    `Label names: ${valuesPerName.size}`,
    `Postings (unique label pairs): ${pairCount.size}`,
    `Postings entries (total label pairs): ${entries}`,
    '',
    'Label names with highest cumulative label value length:',
    top(lengthPerName),
    '',
    'Highest cardinality labels:',
    top(valuesPerName),
    '',
    'Highest cardinality metric names:',
    top(seriesPerMetric),
    '',
    'Most common label pairs:',
    top(pairCount),
    '',
  ];
  process.stdout.write(out.join('\n'));
  return 0;
}
