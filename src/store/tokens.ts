import type Database from 'better-sqlite3';
import { NameTakenError } from './errors.ts';
import type { Role } from './users.ts';

/** An API token. Only the SHA-256 of the token is stored; the token itself is shown once, at creation. */
export interface ApiToken {
  readonly id: number;
  readonly name: string;
  readonly userId: number;
  readonly userName: string;
  readonly role: Role;
  readonly createdAt: number;
  /** Unix milliseconds, or null for a token that does not expire. */
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

interface Row {
  id: number;
  name: string;
  user_id: number;
  user_name: string;
  role: Role;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  userName: r.user_name,
  role: r.role,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const select = `SELECT t.id, t.name, t.user_id, u.name AS user_name, u.role, t.created_at, t.expires_at,
  t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id`;

/** API tokens table access. */
export class TokenRepo {
  private readonly byHashStmt: Database.Statement<[Buffer, number], Row>;
  private readonly touchStmt: Database.Statement<[number, number]>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.byHashStmt = db.prepare(
      `${select} WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`,
    );
    this.touchStmt = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  }

  /** Stores a new token. Throws NameTakenError when an active token has this name. */
  create(name: string, userId: number, tokenHash: Buffer, expiresAt: number | null): ApiToken {
    try {
      const info = this.db
        .prepare('INSERT INTO api_tokens (name, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(name, userId, tokenHash, this.now(), expiresAt);
      return this.byId(Number(info.lastInsertRowid)) as ApiToken;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new NameTakenError('token', name);
      throw err;
    }
  }

  byId(id: number): ApiToken | undefined {
    const row = this.db.prepare(`${select} WHERE t.id = ?`).get(id) as Row | undefined;
    return row && toToken(row);
  }

  /** The active (not revoked, not expired) token with this hash. */
  active(tokenHash: Buffer): ApiToken | undefined {
    const row = this.byHashStmt.get(tokenHash, this.now());
    return row && toToken(row);
  }

  /** Records a use; callers throttle how often. */
  touch(id: number): void {
    this.touchStmt.run(this.now(), id);
  }

  /** Tokens, newest first; revoked ones only when asked. */
  list(options: { includeRevoked?: boolean } = {}): ApiToken[] {
    const where = options.includeRevoked ? '' : ' WHERE t.revoked_at IS NULL';
    return (this.db.prepare(`${select}${where} ORDER BY t.id DESC`).all() as Row[]).map(toToken);
  }

  /** Revokes the active token with this id or name; returns it, or undefined when there is none. */
  revoke(idOrName: number | string): ApiToken | undefined {
    const column = typeof idOrName === 'number' ? 'id' : 'name';
    const row = this.db.prepare(`SELECT id FROM api_tokens WHERE ${column} = ? AND revoked_at IS NULL`).get(idOrName) as
      | { id: number }
      | undefined;
    if (!row) return undefined;
    this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(this.now(), row.id);
    return this.byId(row.id);
  }
}
