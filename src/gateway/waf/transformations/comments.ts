import { simple } from './types.ts';

/** Each C comment `/* … *\/` (an unterminated one to the end) becomes one space. */
export const replaceComments = simple((s) => (s.indexOf('/*') < 0 ? s : s.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ' ')));
/** Drops C, HTML and SQL comments: `/* *\/`, `<!-- -->`, and `--` or `#` to the end of the line. */
export const removeComments = simple((s) =>
  s.replace(/\/\*[\s\S]*?(?:\*\/|$)|<!--[\s\S]*?(?:-->|$)|--[^\n]*|#[^\n]*/g, ''),
);
/** Drops the comment markers themselves: `/*`, `*\/`, `<!--`, `-->`, `--`, `#`. */
export const removeCommentsChar = simple((s) => s.replace(/\/\*|\*\/|<!--|-->|--|#/g, ''));
