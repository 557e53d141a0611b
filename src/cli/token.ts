import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger } from '../log/index.ts';
import { parseDurationMs } from '../model/index.ts';
import { createApiToken, tokenNameProblem } from '../server/index.ts';
import { NameTakenError, Store } from '../store/index.ts';
import { UsageError } from './errors.ts';

/**
 * Opens the store of an existing data directory. Token commands run beside a running server: SQLite
 * serializes their writes with the server's, so they take no data-directory lock.
 */
export function openStore(dataDir: string): Store | undefined {
  const path = join(resolve(dataDir), 'vigil.db');
  if (!existsSync(path)) {
    process.stderr.write(`vigil: no database at ${path}: start vigil once with this --data-dir first\n`);
    return undefined;
  }
  return Store.open({ path, logger: createLogger({ level: 'warn' }) });
}

/** `vigil token create NAME`: prints the new token alone on stdout, so scripts can capture it. */
export async function tokenCreate(
  name: string,
  flags: { user: string; expiresIn?: string; dataDir: string },
): Promise<number> {
  const problem = tokenNameProblem(name);
  if (problem) throw new UsageError(problem);
  let expiresAt: number | null = null;
  if (flags.expiresIn !== undefined) {
    const ms = parseDurationMs(flags.expiresIn);
    if (ms === undefined || ms <= 0)
      throw new UsageError(`--expires-in: expected a duration like 30d, got ${JSON.stringify(flags.expiresIn)}`);
    expiresAt = Date.now() + ms;
  }
  const store = openStore(flags.dataDir);
  if (!store) return 1;
  try {
    const user = store.users.byName(flags.user);
    if (!user) {
      process.stderr.write(`vigil: no user named ${JSON.stringify(flags.user)}\n`);
      return 1;
    }
    const t = createApiToken(store, user.id, name, expiresAt);
    process.stdout.write(`${t.secret}\n`);
    process.stderr.write(
      `created token ${JSON.stringify(name)} (id ${t.id}) for ${user.name}${t.expiresAt ? `, expires ${new Date(t.expiresAt).toISOString()}` : ''}; it is shown only this once\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof NameTakenError) {
      process.stderr.write(`vigil: ${err.message}; revoke it first or choose another name\n`);
      return 1;
    }
    throw err;
  } finally {
    store.close();
  }
}

export function tokenList(flags: { dataDir: string }): number {
  const store = openStore(flags.dataDir);
  if (!store) return 1;
  try {
    const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
    process.stdout.write('ID\tNAME\tUSER\tCREATED\tEXPIRES\tLAST USED\n');
    for (const t of store.tokens.list()) {
      process.stdout.write(
        `${t.id}\t${t.name}\t${t.userName}\t${iso(t.createdAt)}\t${iso(t.expiresAt)}\t${iso(t.lastUsedAt)}\n`,
      );
    }
    return 0;
  } finally {
    store.close();
  }
}

export function tokenRevoke(nameOrId: string, flags: { dataDir: string }): number {
  const store = openStore(flags.dataDir);
  if (!store) return 1;
  try {
    const t = store.tokens.revoke(/^\d+$/.test(nameOrId) ? Number(nameOrId) : nameOrId);
    if (!t) {
      process.stderr.write(`vigil: no active token ${JSON.stringify(nameOrId)}\n`);
      return 1;
    }
    process.stdout.write(`revoked token ${JSON.stringify(t.name)} (id ${t.id})\n`);
    return 0;
  } finally {
    store.close();
  }
}
