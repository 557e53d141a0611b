/** Structured logging: one record per line, JSON for machines or a readable line for a terminal. */

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record; it shares the level of its parent. */
  child(fields: LogFields): Logger;
  /** Changes the level of this logger and of every child made from it. */
  setLevel(level: LogLevel): void;
  isEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** Records below this level are dropped. @default 'info' */
  level?: LogLevel;
  /** `json`: one JSON object per line; `human`: `time level msg key=value…`. @default 'json' */
  format?: 'json' | 'human';
  /** Where records go. @default process.stderr */
  write?: (line: string) => void;
  /** Clock for the `ts` field. @default Date.now */
  now?: () => number;
}

export function isLogLevel(value: string): value is LogLevel {
  return (logLevels as readonly string[]).includes(value);
}

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

interface Shared {
  min: number;
  format: 'json' | 'human';
  write: (line: string) => void;
  now: () => number;
}

/** Creates the root logger. Values that are `Error`s are written as their message (and `code` when present). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const shared: Shared = {
    min: rank[options.level ?? 'info'],
    format: options.format ?? 'json',
    write: options.write ?? stderrWriter(),
    now: options.now ?? Date.now,
  };
  return new RecordLogger(shared, {});
}

class RecordLogger implements Logger {
  constructor(
    private readonly shared: Shared,
    private readonly bound: LogFields,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }
  child(fields: LogFields): Logger {
    return new RecordLogger(this.shared, { ...this.bound, ...fields });
  }
  setLevel(level: LogLevel): void {
    this.shared.min = rank[level];
  }
  isEnabled(level: LogLevel): boolean {
    return rank[level] >= this.shared.min;
  }

  private log(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (rank[level] < this.shared.min) return;
    const record: LogFields = { ts: new Date(this.shared.now()).toISOString(), level, msg, ...this.bound };
    if (fields !== undefined) {
      // A field never replaces the record's own time, level or message.
      for (const k in fields) {
        const v = fields[k];
        record[k === 'ts' || k === 'level' || k === 'msg' ? `field_${k}` : k] = v instanceof Error ? plain(v) : v;
      }
    }
    this.shared.write(this.shared.format === 'json' ? `${safeJson(record)}\n` : human(record));
  }
}

function plain(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return typeof code === 'string' ? `${value.message} (${code})` : value.message;
  }
  return value;
}

/**
 * Writes to standard error at most every 20 ms (a busy gateway logs a line per request: one write for many
 * lines instead of a system call each), at once past 64 KiB, and before the process exits. A SIGKILL loses at
 * most the last 20 ms of lines.
 */
function stderrWriter(): (line: string) => void {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const out = pending;
    pending = '';
    process.stderr.write(out);
  };
  process.once('exit', flush);
  return (line) => {
    pending += line;
    if (pending.length >= 65536) flush();
    else if (timer === undefined) {
      timer = setTimeout(flush, 20);
      timer.unref();
    }
  };
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

function safeJson(record: LogFields): string {
  try {
    // Without a replacer first (several times cheaper); a BigInt makes it throw, then the replacer handles it.
    return JSON.stringify(record);
  } catch {}
  try {
    return JSON.stringify(record, bigintSafe);
  } catch {
    return JSON.stringify({ ts: record.ts, level: record.level, msg: record.msg, log_error: 'unserializable fields' });
  }
}

function human(record: LogFields): string {
  const { ts, level, msg, ...rest } = record;
  let line = `${String(ts).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${String(msg)}`;
  for (const [k, v] of Object.entries(rest)) {
    const text = typeof v === 'string' ? v : safeJson({ v }).slice(5, -1);
    line += ` ${k}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`;
  }
  return `${line}\n`;
}
