/** Test support for the rules module: a manual clock, and a manager over an in-memory storage. */
import { Registry } from 'prom-client';
import { createLogger, type Logger } from '../log/index.ts';
import { Labels, Matcher } from '../model/index.ts';
import { Engine } from '../promql/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import type { RuleClock, Timer } from './clock.ts';
import { parseRuleFileOrThrow } from './file-parse.ts';
import { RuleManager, type RuleManagerOptions } from './manager.ts';
import type { NotifierAlert } from './notify.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void | Promise<void>;
  cancelled: boolean;
}

/** A manual RuleClock: `advance` runs due timers in time order, awaiting the work each returns. */
export class FakeRuleClock implements RuleClock {
  private t: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(startMs = Date.UTC(2024, 0, 1)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void | Promise<void>, delayMs: number): Timer {
    const p: Pending = { at: this.t + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.timers.push(p);
    return {
      cancel: () => {
        p.cancelled = true;
      },
    };
  }

  /** Moves time by `ms` without running timers (a stalled process); the next `advance` runs the overdue ones late. */
  jump(ms: number): void {
    this.t += ms;
  }

  /** Moves time forward by `ms`, running each timer that comes due (including ones scheduled meanwhile). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((p) => !p.cancelled);
      const due = this.timers.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.t = Math.max(this.t, due.at);
      await due.fn();
    }
    this.t = Math.max(this.t, end);
  }
}

export const silentLogger: Logger = createLogger({ write: () => {} });

/** A RuleManager on a MemoryStorage and the real engine, with a fake clock and the alerts it sent. */
export interface RulesHarness {
  readonly storage: MemoryStorage;
  readonly engine: Engine;
  readonly clock: FakeRuleClock;
  readonly registry: Registry;
  readonly manager: RuleManager;
  readonly sent: NotifierAlert[][];
  /** Appends samples: `series` in the selector form `name{a="b"}`, at `t` ms. */
  add(series: string, t: number, v: number): Promise<void>;
  /** Loads rule file text (as file `file`). */
  load(yaml: string, file?: string): Promise<void>;
  /** Every sample of series matching `name` and the exact labels, as [t, v]. */
  samples(labels: Record<string, string>): [number, number][];
}

export function rulesHarness(options: Partial<RuleManagerOptions> & { startMs?: number } = {}): RulesHarness {
  const storage = new MemoryStorage();
  const engine = new Engine();
  const clock = new FakeRuleClock(options.startMs);
  const registry = new Registry();
  const sent: NotifierAlert[][] = [];
  const manager = new RuleManager({
    engine,
    queryable: storage,
    appendable: storage,
    registry,
    logger: silentLogger,
    clock,
    sendAlerts: (alerts) => sent.push(alerts),
    restoreOnStart: false,
    ...options,
  });
  return {
    storage,
    engine,
    clock,
    registry,
    manager,
    sent,
    async add(series, t, v) {
      const app = storage.appender();
      app.append(parseSeries(series), t, v);
      await app.commit();
    },
    load: (yaml, file = 'rules.yml') => manager.updateGroups(parseRuleFileOrThrow(yaml, file)),
    samples(labels) {
      const q = storage.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const want = Labels.fromObject(labels);
      const set = q.select(
        false,
        undefined,
        Object.entries(labels).map(([n, v]) => Matcher.create('=', n, v)),
      );
      const out: [number, number][] = [];
      while (set.next()) {
        const s = set.at();
        if (!s.labels.equals(want)) continue;
        const c = s.cursor();
        while (c.next()) out.push([c.atT(), c.atV()]);
      }
      q.close();
      return out;
    },
  };
}

/** `name{a="b", c="d"}` (values without escapes) as labels. */
export function parseSeries(text: string): Labels {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?$/.exec(text.trim());
  if (m === null) throw new Error(`bad series ${text}`);
  const pairs: [string, string][] = [];
  if (m[1] !== undefined) pairs.push(['__name__', m[1]]);
  for (const p of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) {
    pairs.push([p[1] as string, JSON.parse(`"${p[2]}"`) as string]);
  }
  return Labels.fromPairs(pairs);
}
