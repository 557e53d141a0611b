import { AhoCorasick } from './aho-corasick.ts';
import { type Operator, type OperatorFactory, setCaptures } from './types.ts';

function matcher(phrases: string[]): Operator {
  const ac = new AhoCorasick(phrases);
  return (input, ctx) => {
    const hit = ac.find(input);
    if (hit === undefined) return false;
    ctx.matched = hit;
    if (ctx.capture) setCaptures(ctx.state, [hit]);
    return true;
  };
}

/** `@pm`: space-separated phrases, case-insensitive substring match. */
export const pm: OperatorFactory = (param) => matcher(param.split(/\s+/).filter((p) => p !== ''));

/** `@pmFromFile`: phrases one per line from data files (blank lines and `#` comments skipped). */
export const pmFromFile: OperatorFactory = (param, env) => {
  const phrases: string[] = [];
  for (const name of param.split(/\s+/).filter((p) => p !== '')) {
    let text: string;
    try {
      text = env.readData(name);
    } catch (err) {
      return { error: `cannot read data file ${name}: ${(err as Error).message}` };
    }
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t !== '' && !t.startsWith('#')) phrases.push(t);
    }
  }
  return matcher(phrases);
};
