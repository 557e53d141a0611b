/**
 * Silences as Alertmanager keeps them: matchers and a time range that mute matching alerts while active,
 * created, updated (or replaced) and expired through the API, and persisted in the store so a restart keeps
 * them. Expired silences are kept for `retentionMs` and then deleted.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AlertMatcher } from '../config/index.ts';
import type { LabelSet } from './alert.ts';
import { SilenceNotFoundError, SilenceValidationError } from './errors.ts';
import { compileMatcher, type LabelMatcher } from './matchers.ts';

export type SilenceState = 'pending' | 'active' | 'expired';

export interface Silence {
  readonly id: string;
  readonly matchers: readonly AlertMatcher[];
  /** Unix milliseconds. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** A silence as given to {@link Silences.set}: `id` set to update an existing one. */
export type SilenceInput = Omit<Silence, 'id' | 'updatedAt'> & { readonly id?: string };

export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now < s.endsAt) return 'active';
  return 'expired';
}

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Row {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  updated_at: number;
  created_by: string;
  comment: string;
}

interface Entry {
  silence: Silence;
  compiled: LabelMatcher[];
}

export interface SilencesOptions {
  db: Database.Database;
  now: () => number;
  /** How long an expired silence is kept. @default 120 h (Alertmanager's `--data.retention`) */
  retentionMs?: number;
}

export class Silences {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly retentionMs: number;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  /** Bumped on every change, so callers can cache what they derived. */
  version = 0;

  constructor(options: SilencesOptions) {
    this.now = options.now;
    this.retentionMs = options.retentionMs ?? 120 * 3_600_000;
    const db = options.db;
    this.upsert = db.prepare(
      `INSERT INTO silences (id, matchers, starts_at, ends_at, updated_at, created_by, comment)
       VALUES (@id, @matchers, @starts_at, @ends_at, @updated_at, @created_by, @comment)
       ON CONFLICT(id) DO UPDATE SET matchers = excluded.matchers, starts_at = excluded.starts_at,
         ends_at = excluded.ends_at, updated_at = excluded.updated_at, created_by = excluded.created_by,
         comment = excluded.comment`,
    );
    this.remove = db.prepare('DELETE FROM silences WHERE id = ?');
    for (const row of db.prepare('SELECT * FROM silences').all() as Row[]) {
      const silence: Silence = {
        id: row.id,
        matchers: JSON.parse(row.matchers) as AlertMatcher[],
        startsAt: row.starts_at,
        endsAt: row.ends_at,
        updatedAt: row.updated_at,
        createdBy: row.created_by,
        comment: row.comment,
      };
      try {
        this.entries.set(silence.id, { silence, compiled: silence.matchers.map(compileMatcher) });
      } catch {
        // A silence whose regex no longer compiles cannot mute anything; drop it.
        this.remove.run(silence.id);
      }
    }
  }

  get(id: string): Silence | undefined {
    return this.entries.get(id)?.silence;
  }

  /** Every silence kept (expired ones within retention). */
  list(): Silence[] {
    return [...this.entries.values()].map((e) => e.silence);
  }

  /**
   * Creates or updates a silence as Alertmanager does. An update keeps the id when the matchers are the same
   * and the change is allowed for the silence's state (active: same start, end not in the past; pending: start
   * not in the past); otherwise the old silence is expired and a new one created. A start in the past is
   * moved to now. Throws SilenceNotFoundError for an unknown id, SilenceValidationError for a bad silence.
   */
  set(input: SilenceInput): string {
    const now = this.now();
    const prev = input.id ? this.entries.get(input.id)?.silence : undefined;
    if (input.id && prev === undefined) throw new SilenceNotFoundError(input.id);
    const compiled = validate(input);
    if (prev !== undefined) {
      if (canUpdate(prev, input, now)) {
        this.store({ ...input, id: prev.id, updatedAt: now }, compiled);
        return prev.id;
      }
      if (silenceState(prev, now) !== 'expired') this.expire(prev.id);
    }
    const id = randomUUID();
    this.store({ ...input, id, startsAt: Math.max(input.startsAt, now), updatedAt: now }, compiled);
    return id;
  }

  /**
   * Expires a silence: an active one ends now, a pending one starts and ends now; an expired one stays as it
   * is. Throws SilenceNotFoundError for an unknown id.
   */
  expire(id: string): void {
    const e = this.entries.get(id);
    if (e === undefined) throw new SilenceNotFoundError(id);
    const now = this.now();
    const s = e.silence;
    const state = silenceState(s, now);
    if (state === 'expired') return;
    const next = state === 'active' ? { ...s, endsAt: now } : { ...s, startsAt: now, endsAt: now };
    this.store({ ...next, updatedAt: now }, e.compiled);
  }

  /** Ids of the active silences that match the labels, sorted. */
  mutedBy(labels: LabelSet): string[] {
    const now = this.now();
    const ids: string[] = [];
    for (const { silence, compiled } of this.entries.values()) {
      if (silenceState(silence, now) !== 'active') continue;
      if (compiled.every((m) => m.matches(labels))) ids.push(silence.id);
    }
    return ids.sort();
  }

  /** Deletes silences expired longer than the retention. Returns how many. */
  gc(): number {
    const cutoff = this.now() - this.retentionMs;
    let n = 0;
    for (const [id, { silence }] of this.entries) {
      if (silence.endsAt < cutoff) {
        this.entries.delete(id);
        this.remove.run(id);
        n++;
      }
    }
    if (n > 0) this.version++;
    return n;
  }

  private store(s: Silence, compiled: LabelMatcher[]): void {
    this.upsert.run({
      id: s.id,
      matchers: JSON.stringify(s.matchers),
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      updated_at: s.updatedAt,
      created_by: s.createdBy,
      comment: s.comment,
    });
    this.entries.set(s.id, { silence: s, compiled });
    this.version++;
  }
}

/** Alertmanager's silence validation, with its messages (prefixed "silence invalid: " by the caller). */
function validate(s: SilenceInput): LabelMatcher[] {
  if (s.matchers.length === 0) throw new SilenceValidationError('at least one matcher required');
  const compiled: LabelMatcher[] = [];
  for (const m of s.matchers) {
    if (!labelName.test(m.name))
      throw new SilenceValidationError(`invalid label matcher: invalid label name "${m.name}"`);
    try {
      compiled.push(compileMatcher(m));
    } catch (err) {
      throw new SilenceValidationError(
        `invalid label matcher: invalid regular expression "${m.value}": ${(err as Error).message}`,
      );
    }
  }
  if (compiled.every((m) => m.matchesValue(''))) {
    throw new SilenceValidationError('at least one matcher must not match the empty string');
  }
  if (!Number.isFinite(s.startsAt) || s.startsAt <= 0) throw new SilenceValidationError('invalid zero start timestamp');
  if (!Number.isFinite(s.endsAt) || s.endsAt <= 0) throw new SilenceValidationError('invalid zero end timestamp');
  if (s.endsAt < s.startsAt) throw new SilenceValidationError('end time must not be before start time');
  return compiled;
}

function sameMatchers(a: readonly AlertMatcher[], b: readonly AlertMatcher[]): boolean {
  return (
    a.length === b.length &&
    a.every((m, i) => m.name === b[i]?.name && m.type === b[i]?.type && m.value === b[i]?.value)
  );
}

function canUpdate(prev: Silence, next: SilenceInput, now: number): boolean {
  if (!sameMatchers(prev.matchers, next.matchers)) return false;
  switch (silenceState(prev, now)) {
    case 'active':
      return next.startsAt === prev.startsAt && next.endsAt >= now;
    case 'pending':
      return next.startsAt >= now;
    default:
      return false;
  }
}
