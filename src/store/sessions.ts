import type Database from 'better-sqlite3';

/** A browser session. The cookie holds a random token; only its SHA-256 (`idHash`) is stored. */
export interface Session {
  readonly idHash: Buffer;
  readonly userId: number;
  /** Sent by the browser in `X-CSRF-Token` on state-changing requests. */
  readonly csrfToken: string;
  readonly createdAt: number;
  /** Unix milliseconds after which the session is no longer valid. */
  readonly expiresAt: number;
}

interface Row {
  id_hash: Buffer;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

const toSession = (r: Row): Session => ({
  idHash: r.id_hash,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** Sessions table access. */
export class SessionRepo {
  private readonly getStmt: Database.Statement<[Buffer, number], Row>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.getStmt = db.prepare('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?');
  }

  create(idHash: Buffer, userId: number, csrfToken: string, ttlMs: number): Session {
    const t = this.now();
    this.db
      .prepare('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(idHash, userId, csrfToken, t, t + ttlMs);
    return { idHash, userId, csrfToken, createdAt: t, expiresAt: t + ttlMs };
  }

  /** The session with this hash, unless it has expired. */
  get(idHash: Buffer): Session | undefined {
    const row = this.getStmt.get(idHash, this.now());
    return row && toSession(row);
  }

  delete(idHash: Buffer): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Removes expired sessions; returns how many. */
  deleteExpired(): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.now()).changes;
  }
}
