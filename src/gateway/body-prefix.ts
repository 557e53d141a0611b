/**
 * Reads a body up to `limit` bytes for an inspector: the request's before it is forwarded, the upstream's
 * response before it is sent. When the body ends or the limit is reached the stream is paused and `done`
 * gets what was read (`complete`: the body ended); the caller then forwards or blocks, and pipes the rest.
 */
import type { Readable } from 'node:stream';

export function readBodyPrefix(
  stream: Readable,
  limit: number,
  /** Sees each chunk first; false stops reading (the caller has answered) and `done` is not called. */
  onChunk: (chunk: Buffer) => boolean,
  done: (body: Buffer, complete: boolean) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const stop = () => {
    finished = true;
    stream.off('data', onData);
    stream.off('end', onEnd);
  };
  const decide = (complete: boolean) => {
    if (finished) return;
    stop();
    stream.pause();
    done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), complete);
  };
  const onData = (chunk: Buffer) => {
    if (!onChunk(chunk)) {
      stop();
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) decide(false);
  };
  const onEnd = () => decide(true);
  stream.on('data', onData);
  stream.on('end', onEnd);
}
