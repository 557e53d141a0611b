/** Durable file operations for block writing: a crash leaves either the old file or the whole new one. */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Fsyncs a directory, so entries created or renamed in it survive a crash. */
export async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Writes `bytes` to `path` through `path.tmp`: write, fsync, rename over `path`, fsync the directory. On failure
 * the temporary file is removed and `path` is untouched.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  try {
    const h = await open(tmp, 'w');
    try {
      await h.writeFile(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dirname(path));
}
