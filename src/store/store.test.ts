import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createLogger } from '../log/index.ts';
import { NameTakenError, StoreOpenError } from './errors.ts';
import { migrations } from './migrations.ts';
import { Store } from './store.ts';

const logger = createLogger({ write: () => {} });
const sha = (s: string) => createHash('sha256').update(s).digest();

describe('Store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file in WAL mode with the latest schema, and reopens without migrating again', () => {
    const path = join(dir, 'a.db');
    const s = Store.open({ path, logger });
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(s.schemaVersion, migrations.at(-1)?.version);
    s.users.create('admin', 'h', 'admin');
    s.close();
    s.close();
    const again = Store.open({ path, logger });
    assert.equal(again.users.count(), 1);
    assert.ok(again.sizeBytes() > 0);
    again.close();
  });

  it('refuses a database written by a newer schema', () => {
    const path = join(dir, 'newer.db');
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    assert.throws(
      () => Store.open({ path, logger }),
      (err: unknown) => {
        assert.ok(err instanceof StoreOpenError);
        assert.match(err.message, /schema version 999, written by a newer vigil/);
        return true;
      },
    );
  });

  it('rolls back a failing migration as a whole', () => {
    const path = join(dir, 'bad-migration.db');
    const bad = [...migrations, { version: 99, name: 'broken', sql: 'CREATE TABLE t (x); SELECT * FROM nope;' }];
    assert.throws(() => Store.open({ path, logger, migrations: bad }), /migration 99 \(broken\) failed/);
    const s = Store.open({ path, logger });
    assert.equal(s.schemaVersion, migrations.at(-1)?.version);
    assert.deepEqual(s.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get(), { n: 0 });
    s.close();
  });

  it('reports a file that cannot be opened', () => {
    assert.throws(() => Store.open({ path: join(dir, 'no/such/dir/x.db'), logger }), StoreOpenError);
  });

  it('keeps users, sessions and tokens, with expiry and revocation', () => {
    let now = 1_000_000;
    const s = Store.open({ path: join(dir, 'auth.db'), logger, now: () => now });
    const u = s.users.create('ana', 'hash1', 'viewer');
    assert.throws(() => s.users.create('ana', 'x', 'admin'), NameTakenError);
    assert.equal(s.users.byName('ana')?.id, u.id);

    s.sessions.create(sha('sess'), u.id, 'csrf', 60_000);
    assert.equal(s.sessions.get(sha('sess'))?.csrfToken, 'csrf');
    now += 60_000;
    assert.equal(s.sessions.get(sha('sess')), undefined, 'expired at expires_at');
    assert.equal(s.sessions.deleteExpired(), 1);

    s.sessions.create(sha('s2'), u.id, 'c2', 60_000);
    s.users.setPasswordHash(u.id, 'hash2');
    assert.equal(s.sessions.get(sha('s2')), undefined, 'a password change ends sessions');

    const t = s.tokens.create('grafana', u.id, sha('tok'), null);
    assert.equal(s.tokens.active(sha('tok'))?.name, 'grafana');
    assert.throws(() => s.tokens.create('grafana', u.id, sha('tok2'), null), NameTakenError);
    assert.equal(s.tokens.revoke('grafana')?.id, t.id);
    assert.equal(s.tokens.active(sha('tok')), undefined);
    assert.equal(s.tokens.revoke('grafana'), undefined);
    s.tokens.create('grafana', u.id, sha('tok3'), now + 1000);
    assert.ok(s.tokens.active(sha('tok3')));
    now += 1000;
    assert.equal(s.tokens.active(sha('tok3')), undefined, 'expired token');
    assert.equal(s.tokens.list({ includeRevoked: true }).length, 2);
    s.close();
    assert.ok(existsSync(join(dir, 'auth.db')));
  });
});
