/**
 * Checkpoint directory naming, as Prometheus lays it out inside `wal/`: `checkpoint.NNNNNNNN` holds, in the
 * same segment format, what the head still needs from segments up to and including NNNNNNNN. A name ending
 * in `.tmp` is a checkpoint being written. What goes into a checkpoint is the head's business, not this file's.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WalIoError } from './errors.ts';
import { CHECKPOINT_PREFIX, CHECKPOINT_TEMP_SUFFIX, SEGMENT_NAME_DIGITS } from './format.ts';

/** One finished checkpoint directory. */
export interface CheckpointRef {
  /** The last segment index the checkpoint covers. */
  readonly index: number;
  readonly path: string;
}

/** `12` → `checkpoint.00000012`. */
export function checkpointName(index: number): string {
  return CHECKPOINT_PREFIX + String(index).padStart(SEGMENT_NAME_DIGITS, '0');
}

/** The index in a finished checkpoint's name, or -1 (temporary checkpoints and other names). */
export function parseCheckpointName(name: string): number {
  if (!name.startsWith(CHECKPOINT_PREFIX)) return -1;
  const digits = name.slice(CHECKPOINT_PREFIX.length);
  return /^\d+$/.test(digits) ? Number(digits) : -1;
}

/** Finished checkpoints in `walDir`, by ascending index. */
export function listCheckpoints(walDir: string): CheckpointRef[] {
  const refs: CheckpointRef[] = [];
  for (const name of readNames(walDir)) {
    const index = parseCheckpointName(name);
    const path = join(walDir, name);
    if (index >= 0 && isDirectory(path)) refs.push({ index, path });
  }
  return refs.sort((a, b) => a.index - b.index);
}

/** The newest finished checkpoint, or null. */
export function lastCheckpoint(walDir: string): CheckpointRef | null {
  return listCheckpoints(walDir).at(-1) ?? null;
}

/** Deletes finished checkpoints whose index is below `beforeIndex`. Returns how many were deleted. */
export function deleteCheckpoints(walDir: string, beforeIndex: number): number {
  let n = 0;
  for (const c of listCheckpoints(walDir)) {
    if (c.index >= beforeIndex) break;
    remove(c.path);
    n++;
  }
  return n;
}

/** Deletes checkpoint directories left half-written (`checkpoint.*.tmp`). Returns how many were deleted. */
export function deleteTempCheckpoints(walDir: string): number {
  let n = 0;
  for (const name of readNames(walDir)) {
    if (name.startsWith(CHECKPOINT_PREFIX) && name.endsWith(CHECKPOINT_TEMP_SUFFIX)) {
      remove(join(walDir, name));
      n++;
    }
  }
  return n;
}

function readNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (cause) {
    throw new WalIoError(dir, 'list checkpoints in', { cause });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function remove(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (cause) {
    throw new WalIoError(path, 'delete checkpoint', { cause });
  }
}
