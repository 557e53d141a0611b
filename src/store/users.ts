import type Database from 'better-sqlite3';
import { NameTakenError } from './errors.ts';

export type Role = 'admin' | 'viewer';

/** A user of the UI and APIs. Times are Unix milliseconds. */
export interface User {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  /** The encoded password hash (see server's password module); never sent to clients. */
  readonly passwordHash: string;
  readonly createdAt: number;
  readonly passwordChangedAt: number;
}

interface Row {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  password_changed_at: number;
}

const toUser = (r: Row): User => ({
  id: r.id,
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
});

/** Users table access. */
export class UserRepo {
  private readonly byNameStmt: Database.Statement<[string], Row>;
  private readonly byIdStmt: Database.Statement<[number], Row>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.byNameStmt = db.prepare('SELECT * FROM users WHERE name = ?');
    this.byIdStmt = db.prepare('SELECT * FROM users WHERE id = ?');
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  byName(name: string): User | undefined {
    const row = this.byNameStmt.get(name);
    return row && toUser(row);
  }

  byId(id: number): User | undefined {
    const row = this.byIdStmt.get(id);
    return row && toUser(row);
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as Row[]).map(toUser);
  }

  /** Adds a user. Throws NameTakenError when the name exists. */
  create(name: string, passwordHash: string, role: Role): User {
    const t = this.now();
    try {
      const info = this.db
        .prepare(
          'INSERT INTO users (name, password_hash, role, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(name, passwordHash, role, t, t);
      return this.byId(Number(info.lastInsertRowid)) as User;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new NameTakenError('user', name);
      throw err;
    }
  }

  /** Replaces a user's password hash and ends all of that user's sessions, in one transaction. */
  setPasswordHash(id: number, passwordHash: string): void {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?')
        .run(passwordHash, this.now(), id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
    })();
  }
}
