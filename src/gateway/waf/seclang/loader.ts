/**
 * Loads SecLang configuration texts into a rule set: engine settings, default actions, and the rules and
 * markers in load order, with the removals and target updates applied. Every problem is a WafConfigError
 * naming file and line.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseIdRanges } from '../actions/index.ts';
import { WafConfigError } from '../errors.ts';
import type { CompileEnv } from '../operators/index.ts';
import type { Marker, Rule } from '../rule.ts';
import { defaultSettings, type EngineSettings } from '../settings.ts';
import type { Target } from '../variables/select.ts';
import { type EngineDirective, engineDirectives, ignoredDirectives } from './engine-directives.ts';
import { expandInclude } from './files.ts';
import { type Directive, lex } from './lexer.ts';
import { applyActions, compileRule, compileTargets } from './rule-compile.ts';

/** The result of loading: what the engine compiles its phase lists from. */
export interface RuleSet {
  settings: EngineSettings;
  /** Chain starters and markers in load order. */
  items: Array<Rule | Marker>;
  /** Regexes that could not be compiled for RE2, with the rule they belong to. Their rules were not loaded. */
  skipped: Array<{ file: string; line: number; reason: string }>;
}

/** A configuration text and the name to report it under (a file path, for `Include` and data files). */
export interface ConfigSource {
  readonly name: string;
  readonly text: string;
}

interface DefaultAction {
  transformNames: string[];
  transforms: Rule['transforms'];
  disruptive: Rule['disruptive'];
  status: number | undefined;
  log: boolean | undefined;
  auditlog: boolean | undefined;
}

/** Loads sources in order. Throws WafConfigError on the first invalid directive. */
export function loadRuleSet(sources: readonly ConfigSource[], options: { strictRegex: boolean }): RuleSet {
  const set: RuleSet = { settings: defaultSettings(), items: [], skipped: [] };
  const defaults = new Map<number, DefaultAction>();
  const byId = new Map<number, Rule>();
  let openChain: Rule | undefined;

  const fail = (d: Directive, msg: string): never => {
    throw new WafConfigError(`${d.name}: ${msg}`, d.file, d.line);
  };
  const arg = (d: Directive, i: number): string => d.args[i] ?? fail(d, `missing argument ${i + 1}`);

  /** The rule that started the open chain, and whether the links of a chain left out are being skipped. */
  let chainStarter: Rule | undefined;
  let skippingLinks = false;
  const dropChain = () => {
    const starter = chainStarter;
    if (starter !== undefined) {
      const at = set.items.lastIndexOf(starter);
      if (at >= 0) set.items.splice(at, 1);
      byId.delete(starter.id);
    }
    openChain = undefined;
    chainStarter = undefined;
  };

  const addRule = (d: Directive, rule: Rule) => {
    if (openChain === undefined) chainStarter = rule;
    if (openChain !== undefined) {
      rule.chained = true;
      rule.phase = openChain.phase;
      openChain.chain = rule;
    } else {
      if (rule.id === 0) fail(d, 'rule has no id');
      if (byId.has(rule.id)) fail(d, `duplicate rule id ${rule.id}`);
      const def = defaults.get(rule.phase);
      if (rule.disruptive === 'block' || rule.disruptive === undefined) {
        rule.disruptive = def?.disruptive ?? 'pass';
        rule.status ??= def?.status;
      }
      rule.log ??= def?.log ?? true;
      rule.auditlog ??= def?.auditlog ?? rule.log;
      if (def !== undefined && !rule.transformsReset && def.transforms.length > 0) {
        rule.transformNames = [...def.transformNames, ...rule.transformNames];
        rule.transforms = [...def.transforms, ...rule.transforms];
      }
      byId.set(rule.id, rule);
      set.items.push(rule);
    }
    openChain = rule.chainFlag ? rule : undefined;
  };

  const forIds = (d: Directive, text: string, fn: (r: Rule) => void) => {
    const ranges = parseIdRanges(text);
    if (typeof ranges === 'string') fail(d, ranges);
    for (const r of byId.values())
      if ((ranges as Array<[number, number]>).some(([lo, hi]) => r.id >= lo && r.id <= hi)) fn(r);
  };
  const remove = (pred: (r: Rule) => boolean) => {
    set.items = set.items.filter((r) => r.kind !== 'rule' || !pred(r));
    for (const [id, r] of byId) if (pred(r)) byId.delete(id);
  };
  const updateTargets = (d: Directive, rules: Rule[]) => {
    const targets = compileTargets(arg(d, 1));
    if (typeof targets === 'string') return fail(d, targets);
    // A third argument names the target the new one replaces (`SecRuleUpdateTargetById 1 ARGS:x ARGS`).
    const replaced = d.args[2] === undefined ? undefined : compileTargets(d.args[2]);
    if (typeof replaced === 'string') return fail(d, replaced);
    const same = (a: Target, b: Target) => a.collection === b.collection && a.key === b.key && a.count === b.count;
    for (const r of rules) {
      if (replaced !== undefined) {
        const at = r.targets.findIndex((t) => replaced.some((x) => same(t, x)));
        if (at < 0) fail(d, `rule ${r.id} has no target ${d.args[2]}`);
        r.targets.splice(at, 1, ...targets.filter((t) => !t.exclude));
        r.exclusions.push(...targets.filter((t) => t.exclude));
        continue;
      }
      for (const t of targets) {
        if (t.exclude) r.exclusions.push(t);
        else r.targets.push(t);
      }
    }
  };

  const run = (directives: Directive[]) => {
    for (const d of directives) {
      const name = d.name.toLowerCase();
      const env: CompileEnv = {
        readData: (f) => readFileSync(isAbsolute(f) ? f : join(dirname(d.file), f), 'latin1'),
      };
      switch (name) {
        case 'secrule':
        case 'secaction': {
          const r =
            name === 'secrule'
              ? compileRule(d.file, d.line, arg(d, 0), arg(d, 1), d.args[2] ?? '', env)
              : compileRule(d.file, d.line, undefined, undefined, arg(d, 0), env);
          if (typeof r === 'string') {
            if (!options.strictRegex && r.includes('cannot compile regex')) {
              set.skipped.push({ file: d.file, line: d.line, reason: r });
              // A chain is left out whole: its starter (already added) and the links after this one.
              if (openChain !== undefined) dropChain();
              skippingLinks = /(?:^|,)\s*chain\s*(?:,|$)/i.test(name === 'secrule' ? (d.args[2] ?? '') : arg(d, 0));
              continue;
            }
            fail(d, r);
          }
          if (skippingLinks) {
            set.skipped.push({ file: d.file, line: d.line, reason: 'in a chain left out (a link before it)' });
            skippingLinks = (r as Rule).chainFlag;
            continue;
          }
          addRule(d, r as Rule);
          break;
        }
        case 'secmarker':
          set.items.push({ kind: 'marker', name: arg(d, 0) });
          break;
        case 'secdefaultaction': {
          const r = compileRule(d.file, d.line, undefined, undefined, arg(d, 0), env);
          if (typeof r === 'string') fail(d, r);
          const rule = r as Rule;
          defaults.set(rule.phase, {
            transformNames: rule.transformNames,
            transforms: rule.transforms,
            disruptive: rule.disruptive,
            status: rule.status,
            log: rule.log,
            auditlog: rule.auditlog,
          });
          break;
        }
        case 'secruleremovebyid':
          for (const a of d.args) {
            const ranges = parseIdRanges(a);
            if (typeof ranges === 'string') fail(d, ranges);
            remove((r) => (ranges as Array<[number, number]>).some(([lo, hi]) => r.id >= lo && r.id <= hi));
          }
          break;
        case 'secruleremovebytag': {
          const re = new RegExp(arg(d, 0));
          remove((r) => r.tags.some((t) => re.test(t)));
          break;
        }
        case 'secruleremovebymsg': {
          const m = arg(d, 0);
          remove((r) => r.msg?.length === 1 && r.msg[0] === m);
          break;
        }
        case 'secruleupdatetargetbyid': {
          const hits: Rule[] = [];
          forIds(d, arg(d, 0), (r) => hits.push(r));
          updateTargets(d, hits);
          break;
        }
        case 'secruleupdatetargetbytag':
          updateTargets(
            d,
            [...byId.values()].filter((r) => r.tags.includes(arg(d, 0))),
          );
          break;
        case 'secruleupdatetargetbymsg':
          updateTargets(
            d,
            [...byId.values()].filter((r) => r.msg?.length === 1 && r.msg[0] === arg(d, 0)),
          );
          break;
        case 'secruleupdateactionbyid':
          forIds(d, arg(d, 0).split(':')[0] ?? '', (r) => {
            const p = applyActions(r, arg(d, 1));
            if (p !== undefined) fail(d, p);
          });
          break;
        case 'include':
          for (const f of expandInclude(arg(d, 0), dirname(d.file))) run(lex(readFileSync(f, 'latin1'), f));
          break;
        default: {
          const setting = (engineDirectives as Record<string, EngineDirective>)[name];
          if (setting !== undefined) {
            const problem = setting(d.args, set.settings);
            if (problem !== undefined) fail(d, problem);
          } else if (!ignoredDirectives.has(name)) fail(d, 'unknown directive');
        }
      }
    }
  };

  for (const src of sources) run(lex(src.text, src.name));
  if (openChain !== undefined) throw new WafConfigError('the last rule opens a chain that never ends', 'config', 0);
  return set;
}
