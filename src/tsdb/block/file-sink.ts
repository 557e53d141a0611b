/**
 * A file written front to back through an in-memory buffer, for the block writers. Whole sections are built in
 * the buffer (so their length and checksum can be filled in), and the buffer goes to disk between sections once
 * it holds `flushBytes`. Those writes are synchronous (a few milliseconds each); fsync and close are not.
 */
import { close as closeCb, fsync as fsyncCb, openSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { crc32c } from '../encoding/crc32c.ts';
import { Encbuf } from './encoding.ts';

const DEFAULT_FLUSH_BYTES = 1 << 20;
const fsync = promisify(fsyncCb);
const close = promisify(closeCb);

export class FileSink {
  /** Bytes not yet written to the file; append to it, then call `flushIfFull()` between sections. */
  readonly out: Encbuf;
  private flushed = 0;
  private fd: number | null;

  /** Creates (or truncates) the file at `path`; throws the fs error when it cannot. */
  constructor(
    readonly path: string,
    private readonly flushBytes = DEFAULT_FLUSH_BYTES,
  ) {
    this.fd = openSync(path, 'w');
    this.out = new Encbuf(flushBytes * 2);
  }

  /** Offset in the file of the next byte appended. */
  get pos(): number {
    return this.flushed + this.out.len;
  }

  /** Appends zero bytes until `pos` is a multiple of `align`. */
  padTo(align: number): void {
    const rem = this.pos % align;
    if (rem !== 0) this.out.zeros(align - rem);
  }

  /** Appends `len <4b> | data | CRC32C(data) <4b>` with the data that `write` appends. */
  section(write: (e: Encbuf) => void): void {
    const e = this.out;
    const start = e.len;
    e.be32(0);
    write(e);
    e.buf.writeUInt32BE(e.len - start - 4, start);
    e.be32(crc32c(e.buf, start + 4, e.len));
  }

  flushIfFull(): void {
    if (this.out.len >= this.flushBytes) this.flush();
  }

  /** Writes what is buffered to the file. */
  flush(): void {
    if (this.fd === null) throw new Error(`write ${this.path}: file is closed`);
    const b = this.out.get();
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done, this.flushed + done);
    this.flushed += b.length;
    this.out.reset();
  }

  /** Writes what is buffered, fsyncs and closes the file. Closes it even when a step fails. Idempotent. */
  async close(): Promise<void> {
    const fd = this.fd;
    if (fd === null) return;
    try {
      this.flush();
      await fsync(fd);
    } finally {
      this.fd = null;
      await close(fd);
    }
  }

  /** Closes the file without writing what is buffered; for error paths. Idempotent, never throws. */
  async abort(): Promise<void> {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) await close(fd).catch(() => {});
  }
}
