/** Errors of the head. */

/** A head chunk file (`chunks_head/NNNNNN`) that is damaged where it should not be. */
export class HeadChunkCorruptionError extends Error {
  readonly code = 'TSDB_HEAD_CHUNK_CORRUPTION';
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`head chunk file ${file}, byte ${offset}: ${reason}`);
    this.name = 'HeadChunkCorruptionError';
  }
}
