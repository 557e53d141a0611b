/** Errors of the store module. */

/** Another process holds the data directory. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`data directory ${dir} is in use by another vigil (pid ${pid}); stop it or choose another --data-dir`);
    this.name = 'DataDirLockedError';
  }
}

/** The data directory cannot be created or written. */
export class DataDirError extends Error {
  readonly code = 'DATA_DIR_UNUSABLE';
  constructor(
    readonly dir: string,
    readonly step: string,
    options: { cause: unknown },
  ) {
    super(`data directory ${dir}: cannot ${step}: ${describeErrno(options.cause)}`, options);
    this.name = 'DataDirError';
  }
}

/** The database file cannot be opened or migrated. */
export class StoreOpenError extends Error {
  readonly code = 'STORE_OPEN';
  constructor(
    readonly path: string,
    readonly step: string,
    options: { cause?: unknown } = {},
  ) {
    super(`store ${path}: ${step}${options.cause ? `: ${describeErrno(options.cause)}` : ''}`, options);
    this.name = 'StoreOpenError';
  }
}

/** Readable text for a Node.js system error (`permission denied` rather than `EACCES: …`). */
export function describeErrno(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a path component is not a directory',
    ENOENT: 'no such file or directory',
    ENOSPC: 'no space left on device',
    EEXIST: 'already exists',
  };
  if (typeof e?.code === 'string' && e.code in words) return words[e.code] as string;
  return e instanceof Error ? e.message : String(err);
}

/** An active API token already has this name. */
export class NameTakenError extends Error {
  readonly code = 'NAME_TAKEN';
  constructor(
    readonly kind: 'user' | 'token',
    readonly taken: string,
  ) {
    super(`a ${kind} named ${JSON.stringify(taken)} already exists`);
    this.name = 'NameTakenError';
  }
}
