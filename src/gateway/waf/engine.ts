/**
 * The WAF engine: loads a SecLang configuration once (CRS unchanged), compiles every rule, and starts
 * transactions over the compiled phases. Immutable after construction; a reload builds a new engine.
 */
import { readFileSync } from 'node:fs';
import type RE2 from 're2';
import type { PhasePlan } from './evaluate.ts';
import { constantComparison } from './operators/numeric.ts';
import { rxPattern, usePrefilter } from './operators/rx.ts';
import { RegexSetPrefilter } from './operators/rx-set.ts';
import type { Operator } from './operators/types.ts';
import { RecentTransforms } from './recent-transforms.ts';
import type { Marker, Rule, TxComparison } from './rule.ts';
import { type ConfigSource, loadRuleSet } from './seclang/loader.ts';
import type { EngineSettings } from './settings.ts';
import { Transaction, type TransactionOptions } from './transaction.ts';
import { fixedWithinPhase } from './variables/collections.ts';
import type { Target } from './variables/select.ts';

/** A target as a string that tells it apart from every other: `!&COLLECTION:key` or `…:/regex/`. */
const targetText = (t: Target): string =>
  `${t.exclude ? '!' : ''}${t.count ? '&' : ''}${t.collection}${t.keyRegex !== undefined ? `:/${t.keyRegex.source}/` : t.key !== undefined ? `:=${t.key}` : ''}`;

/** `key`'s number in `ids`, the next one when it has none yet. */
function idOf(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}

/** The rule's TX comparison when it has that shape (see `Rule.txComparison`). */
function txComparison(r: Rule): TxComparison | undefined {
  const t = r.targets[0];
  if (r.unconditional || r.targets.length !== 1 || r.exclusions.length !== 0 || t === undefined) return undefined;
  if (t.collection !== 'TX' || t.key === undefined || t.keyRegex !== undefined || t.count || t.exclude)
    return undefined;
  if (r.transforms.length !== 0 || r.multiMatch) return undefined;
  const c = constantComparison(r.operator);
  return c === undefined ? undefined : { key: t.key, name: t.name, comparison: c.comparison, param: c.param };
}

export interface WafEngineOptions {
  /** Configuration files, loaded in this order (`Include` inside them is honoured). */
  files?: readonly string[];
  /** Inline configuration texts, loaded after `files`, each reported under its name. */
  sources?: readonly ConfigSource[];
  /** Refuse to load when a regex cannot be translated for RE2; otherwise its rule is left out and reported in `skippedRules`. @default false */
  strictRegex?: boolean;
}

export class WafEngine {
  readonly settings: EngineSettings;
  /** Rules left out because their regex cannot run on RE2. */
  readonly skippedRules: ReadonlyArray<{ file: string; line: number; reason: string }>;
  /** Number of chain starters loaded (SecRule and SecAction). */
  readonly ruleCount: number;
  /** The ids of every rule loaded (chain starters). */
  readonly ruleIds: ReadonlySet<number>;
  private readonly phases: PhasePlan[];
  private readonly recentTransforms = new RecentTransforms();
  private readonly recentAllTransforms = new RecentTransforms<readonly string[]>();

  /** Loads and compiles. Throws WafConfigError (file:line) on an invalid configuration. */
  constructor(options: WafEngineOptions) {
    const sources: ConfigSource[] = [
      ...(options.files ?? []).map((f) => ({ name: f, text: readFileSync(f, 'latin1') })),
      ...(options.sources ?? []),
    ];
    const set = loadRuleSet(sources, { strictRegex: options.strictRegex ?? false });
    this.settings = set.settings;
    this.skippedRules = set.skipped;
    this.ruleCount = set.items.filter((i) => i.kind === 'rule').length;
    this.ruleIds = new Set(set.items.flatMap((i) => (i.kind === 'rule' ? [i.id] : [])));
    const transformIds = new Map<string, number>();
    const targetIds = new Map<string, number>();
    const singleTargetIds = new Map<string, number>();
    for (const item of set.items) {
      for (let r = item.kind === 'rule' ? item : undefined; r !== undefined; r = r.chain) {
        r.transformKey = r.transformNames.join(',');
        r.transformId = idOf(transformIds, r.transformKey);
        r.tagSet = new Set(r.tags);
        r.targetKey = [...r.targets, ...r.exclusions].map(targetText).join('\n');
        r.targetId = idOf(targetIds, r.targetKey);
        for (const t of r.targets) if (fixedWithinPhase(t.collection)) t.id = idOf(singleTargetIds, targetText(t));
        r.targetsFixed =
          !r.unconditional && [...r.targets, ...r.exclusions].every((t) => fixedWithinPhase(t.collection));
        r.txComparison = txComparison(r);
      }
    }
    const patterns: RE2[] = [];
    const users: Array<{ op: Operator; index: number }> = [];
    const indexOf = new Map<RE2, number>();
    for (const item of set.items) {
      for (let r = item.kind === 'rule' ? item : undefined; r !== undefined; r = r.chain) {
        const re = rxPattern(r.operator);
        if (re === undefined) continue;
        let index = indexOf.get(re);
        if (index === undefined) {
          index = patterns.push(re) - 1;
          indexOf.set(re, index);
        }
        users.push({ op: r.operator, index });
      }
    }
    const prefilter = new RegexSetPrefilter(patterns);
    for (const u of users) usePrefilter(u.op, prefilter, u.index);
    this.phases = [];
    for (let p = 0; p <= 5; p++) {
      const items = set.items.filter((i): i is Rule | Marker => i.kind === 'marker' || i.phase === p);
      const markers = new Map<string, number>();
      items.forEach((it, idx) => {
        if (it.kind === 'marker' && !markers.has(it.name)) markers.set(it.name, idx);
      });
      const jumps = new Int32Array(items.length);
      items.forEach((it, idx) => {
        if (it.kind === 'rule' && it.skipAfter !== undefined) jumps[idx] = markers.get(it.skipAfter) ?? items.length;
      });
      this.phases.push({ items, markers, jumps });
    }
  }

  /** Starts a transaction. Cheap: all compilation happened in the constructor. */
  newTransaction(options: TransactionOptions): Transaction {
    return new Transaction(
      {
        settings: this.settings,
        phases: this.phases,
        recentTransforms: this.recentTransforms,
        recentAllTransforms: this.recentAllTransforms,
      },
      options,
    );
  }
}
