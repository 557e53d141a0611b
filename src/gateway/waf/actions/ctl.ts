/** `ctl:` actions: change the engine's configuration for the rest of the transaction. */
import type { ActionFactory } from './types.ts';

/** Parses `1-999999 42 100-200` (space or comma separated) into inclusive ranges. */
export function parseIdRanges(text: string): Array<[number, number]> | string {
  const out: Array<[number, number]> = [];
  for (const part of text.split(/[\s,]+/).filter((p) => p !== '')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) return `invalid rule id or range ${part}`;
    out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

export const ctl: ActionFactory = (arg, rule, env) => {
  const text = arg ?? '';
  const eqAt = text.indexOf('=');
  if (eqAt < 0) return `invalid ctl ${text}`;
  const option = text.slice(0, eqAt).trim().toLowerCase();
  const value = text.slice(eqAt + 1).trim();
  switch (option) {
    case 'ruleremovebyid': {
      const ranges = parseIdRanges(value);
      if (typeof ranges === 'string') return ranges;
      rule.effects.push((s) => s.removedIds.push(...ranges));
      return undefined;
    }
    case 'ruleremovebytag':
      rule.effects.push((s) => s.removedTags.push(value));
      return undefined;
    case 'ruleremovetargetbyid':
    case 'ruleremovetargetbytag': {
      const semi = value.indexOf(';');
      if (semi < 0) return `invalid ctl ${text}`;
      const targets = env.compileTargets(value.slice(semi + 1));
      if (typeof targets === 'string') return targets;
      const what = value.slice(0, semi);
      if (option === 'ruleremovetargetbytag') {
        rule.effects.push((s) => {
          for (const target of targets) s.removedTargetsByTag.push({ tag: what, target });
        });
        return undefined;
      }
      const ranges = parseIdRanges(what);
      if (typeof ranges === 'string') return ranges;
      rule.effects.push((s) => {
        for (const [lo, hi] of ranges) {
          if (hi - lo > 100000) continue;
          for (let id = lo; id <= hi; id++) {
            const list = s.removedTargetsById.get(id) ?? [];
            list.push(...targets);
            s.removedTargetsById.set(id, list);
          }
        }
      });
      return undefined;
    }
    case 'requestbodyprocessor':
      rule.effects.push((s) => {
        s.bodyProcessor = value.toUpperCase();
        s.scalars.set('REQBODY_PROCESSOR', s.bodyProcessor);
      });
      return undefined;
    case 'forcerequestbodyvariable':
      rule.effects.push((s) => {
        s.forceRequestBodyVariable = value.toLowerCase() === 'on';
      });
      return undefined;
    case 'ruleengine':
      rule.effects.push((s) => {
        s.engineMode = value.toLowerCase();
      });
      return undefined;
    default:
      // auditEngine, auditLogParts, requestBodyAccess, …: nothing of ours depends on them yet.
      return undefined;
  }
};
