/** Collection actions: setvar, expirevar, initcol, setenv. */
import { intern } from '../intern.ts';
import { compileMacro, expandMacro } from '../macro.ts';
import { toInt } from '../operators/numeric.ts';
import type { TxState } from '../state.ts';
import type { ActionFactory } from './types.ts';

function collection(s: TxState, name: string): Map<string, string> {
  if (name === 'TX') return s.tx;
  let m = s.named.get(name);
  if (m === undefined) {
    m = new Map();
    s.named.set(name, m);
  }
  return m;
}

/** `setvar:tx.name=value`, `=+n`, `=-n`, `!tx.name` (delete), `tx.name` (set to 1). Names are macros. */
export const setvar: ActionFactory = (arg, rule) => {
  const text = arg ?? '';
  const del = text.startsWith('!');
  const body = del ? text.slice(1) : text;
  const eqAt = body.indexOf('=');
  const target = (eqAt < 0 ? body : body.slice(0, eqAt)).trim();
  const dot = target.indexOf('.');
  if (dot <= 0) return `invalid setvar ${text}`;
  const coll = intern(target.slice(0, dot).toUpperCase());
  const nameMacro = compileMacro(target.slice(dot + 1));
  let raw = eqAt < 0 ? '1' : body.slice(eqAt + 1);
  let op: '=' | '+' | '-' = '=';
  if (raw.startsWith('+') || raw.startsWith('-')) {
    op = raw[0] as '+' | '-';
    raw = raw.slice(1);
  }
  const valueMacro = compileMacro(raw);
  // Most names are literal: lower-cased once here rather than on every match.
  const literalName =
    nameMacro.length === 1 && typeof nameMacro[0] === 'string' ? intern(nameMacro[0].toLowerCase()) : undefined;
  rule.effects.push((s) => {
    const c = collection(s, coll);
    const name = literalName ?? expandMacro(nameMacro, s).toLowerCase();
    if (del) {
      c.delete(name);
      return;
    }
    const v = expandMacro(valueMacro, s);
    if (op === '=') c.set(name, v);
    else {
      const cur = toInt(c.get(name) ?? '0');
      c.set(name, String(op === '+' ? cur + toInt(v) : cur - toInt(v)));
    }
  });
  return undefined;
};

/** `initcol:ip=…`: per-transaction collections here (no persistent storage yet). */
export const initcol: ActionFactory = (arg, rule) => {
  const coll = (arg ?? '').split('=')[0]?.trim().toUpperCase() ?? '';
  if (coll === '') return `invalid initcol ${arg}`;
  rule.effects.push((s) => {
    collection(s, coll);
  });
  return undefined;
};

/** `setenv:name=value`: sets ENV for later rules of this transaction. */
export const setenv: ActionFactory = (arg, rule) => {
  const text = arg ?? '';
  const eqAt = text.indexOf('=');
  const name = eqAt < 0 ? text : text.slice(0, eqAt);
  const value = compileMacro(eqAt < 0 ? '1' : text.slice(eqAt + 1));
  rule.effects.push((s) => {
    const env = s.member('ENV');
    const v = expandMacro(value, s);
    const hit = env.find((p) => p.key === name);
    if (hit) hit.value = v;
    else env.push({ key: name, value: v });
  });
  return undefined;
};
