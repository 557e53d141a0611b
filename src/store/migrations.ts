/**
 * The store's schema, as numbered migrations applied in order. A migration is never edited once released:
 * change the schema by appending one. `PRAGMA user_version` holds the number of the last one applied.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions and API tokens',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
        created_at INTEGER NOT NULL,
        password_changed_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sessions (
        id_hash BLOB PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sessions_by_expiry ON sessions(expires_at);
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        last_used_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'notification outbox and delivery history',
    sql: `
      CREATE TABLE notify_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL CHECK (channel IN ('slack', 'webhook', 'email')),
        destination TEXT NOT NULL,
        message TEXT NOT NULL,
        source TEXT NOT NULL,
        receiver TEXT NOT NULL,
        integration TEXT NOT NULL,
        summary TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'dead')),
        enqueued_at INTEGER NOT NULL,
        queued_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        died_at INTEGER
      ) STRICT;
      CREATE INDEX notify_outbox_by_destination ON notify_outbox(state, destination, id);
      CREATE TABLE notify_deliveries (
        message_id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        source TEXT NOT NULL,
        receiver TEXT NOT NULL,
        integration TEXT NOT NULL,
        summary TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'dead')),
        attempts INTEGER NOT NULL,
        last_error TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX notify_deliveries_by_time ON notify_deliveries(updated_at);
    `,
  },
  {
    version: 3,
    name: 'silences and the notification log',
    sql: `
      CREATE TABLE silences (
        id TEXT PRIMARY KEY,
        matchers TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        comment TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE nflog (
        group_key TEXT NOT NULL,
        receiver TEXT NOT NULL,
        integration TEXT NOT NULL,
        firing TEXT NOT NULL,
        resolved TEXT NOT NULL,
        ts INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (group_key, receiver, integration)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'notification streams: ordered within a stream, concurrent across streams to one destination',
    sql: `
      ALTER TABLE notify_outbox ADD COLUMN stream TEXT NOT NULL DEFAULT '';
      DROP INDEX notify_outbox_by_destination;
      CREATE INDEX notify_outbox_by_queue ON notify_outbox(state, destination, stream, id);
    `,
  },
  {
    version: 5,
    name: 'security events',
    sql: `
      CREATE TABLE security_events (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        site TEXT NOT NULL,
        client_ip TEXT NOT NULL,
        action TEXT NOT NULL,
        status INTEGER NOT NULL,
        request_id TEXT NOT NULL,
        event TEXT NOT NULL
      ) STRICT;
      CREATE INDEX security_events_by_time ON security_events(ts);
      CREATE INDEX security_events_by_client ON security_events(client_ip, ts);
    `,
  },
  {
    version: 6,
    name: 'security events once per request',
    // Events forwarded by an edge gateway may arrive twice (delivery is at least once): a request's event is
    // kept once.
    sql: `
      DELETE FROM security_events WHERE id NOT IN (SELECT MIN(id) FROM security_events GROUP BY request_id, ts);
      CREATE UNIQUE INDEX security_events_by_request ON security_events(request_id, ts);
    `,
  },
];
