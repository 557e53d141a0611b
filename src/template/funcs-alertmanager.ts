/**
 * Alertmanager's template functions (its `DefaultFuncs`): those of 0.25 — toUpper, toLower, title, join, match,
 * safeHtml, reReplaceAll, stringSlice — and trimSpace from the next release (0.25's amtool rejects it). date, tz,
 * since and humanizeDuration came later still and are not here.
 */
import type { TemplateFunc } from './exec.ts';
import { arity, str, strings } from './func-args.ts';
import { matchString, replaceAllString } from './go-regexp.ts';
import type { FuncMap } from './template-set.ts';
import { titleCase, toLower, toUpper, trimSpace } from './text-funcs.ts';

export const alertmanagerFuncs: FuncMap = {
  toUpper,
  toLower,
  /** Title case with the rest of each word lower-cased: `hello wORLD` → `Hello World`. */
  title: (...args) => {
    arity('title', args, 1);
    return titleCase(str(args[0]), true);
  },
  /** Go's strings.TrimSpace (not in 0.25). */
  trimSpace,
  /** `join SEP LIST` (separator first, for pipelines: `.Values | join " "`). */
  join: (...args) => {
    arity('join', args, 2);
    return strings(args[1]).join(str(args[0]));
  },
  /** `match PATTERN TEXT`: whether TEXT contains a match of the Go regular expression. */
  match: (...args) => {
    arity('match', args, 2);
    return matchString(str(args[0]), str(args[1]));
  },
  safeHtml: (...args) => {
    arity('safeHtml', args, 1);
    return str(args[0]);
  },
  /** `reReplaceAll PATTERN REPLACEMENT TEXT`, `$1`/`${name}` expanded as in Go. */
  reReplaceAll: (...args) => {
    arity('reReplaceAll', args, 3);
    return replaceAllString(str(args[0]), str(args[2]), str(args[1]));
  },
  /** `stringSlice A B …`: the arguments as a list of strings. */
  stringSlice: (...args) => args.map(str),
} satisfies Record<string, TemplateFunc>;
