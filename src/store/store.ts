import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from '../log/index.ts';
import { StoreOpenError } from './errors.ts';
import { migrations as builtIn, type Migration } from './migrations.ts';
import { SecurityEventRepo } from './security-events.ts';
import { SessionRepo } from './sessions.ts';
import { TokenRepo } from './tokens.ts';
import { UserRepo } from './users.ts';

export interface StoreOptions {
  /** Path of the database file (`data/vigil.db`); created when missing. */
  path: string;
  logger: Logger;
  /** How long a statement waits for another connection's write lock. @default 5000 */
  busyTimeoutMs?: number;
  /** Schema migrations; tests pass their own. @default the built-in list */
  migrations?: readonly Migration[];
  /** Clock for timestamps written to rows. @default Date.now */
  now?: () => number;
}

/**
 * The embedded database for everything that is not a time series. SQLite in WAL mode with
 * `synchronous=FULL`: a committed transaction is on disk before `run()` returns, so it survives a crash or
 * power loss. Statements are synchronous and short; several processes may open the same file (the CLI does
 * while a server runs), SQLite serializing their writes.
 */
export class Store {
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly tokens: TokenRepo;
  readonly securityEvents: SecurityEventRepo;

  private constructor(
    readonly path: string,
    readonly db: Database.Database,
    readonly schemaVersion: number,
    now: () => number,
  ) {
    this.users = new UserRepo(db, now);
    this.sessions = new SessionRepo(db, now);
    this.tokens = new TokenRepo(db, now);
    this.securityEvents = new SecurityEventRepo(db);
  }

  /** Opens (creating when needed) and migrates the database. Throws StoreOpenError. */
  static open(options: StoreOptions): Store {
    const { path, logger } = options;
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (cause) {
      throw new StoreOpenError(path, 'cannot open the database file', { cause });
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      const version = migrate(db, options.migrations ?? builtIn, path, logger);
      return new Store(path, db, version, options.now ?? Date.now);
    } catch (err) {
      db.close();
      if (err instanceof StoreOpenError) throw err;
      throw new StoreOpenError(path, 'cannot prepare the database', { cause: err });
    }
  }

  /** Bytes on disk: the database file and its write-ahead log. */
  sizeBytes(): number {
    let total = 0;
    for (const suffix of ['', '-wal']) {
      try {
        total += statSync(this.path + suffix).size;
      } catch {
        // The WAL file exists only between checkpoints.
      }
    }
    return total;
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database, migrations: readonly Migration[], path: string, logger: Logger): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreOpenError(
      path,
      `the database has schema version ${current}, written by a newer vigil; this one knows up to ${latest}`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    const apply = db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      apply();
    } catch (cause) {
      throw new StoreOpenError(path, `migration ${m.version} (${m.name}) failed`, { cause });
    }
    logger.info('store migrated', { version: m.version, migration: m.name });
  }
  return Math.max(current, latest);
}
