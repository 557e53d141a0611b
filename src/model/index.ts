export { formatDurationMs, parseDurationMs } from './duration.ts';
export { MatcherError } from './errors.ts';
export { compileAnchored, goRegexProblem, re2Source } from './go-regex.ts';
export { parseHostPort } from './host-port.ts';
export { compareLabels, compareStrings, Labels, LabelsBuilder, metricNameLabel } from './labels.ts';
export type { MatchType } from './matcher.ts';
export { Matcher } from './matcher.ts';
export { floatBits, floatFromBits, isStaleNaN, staleNaN, staleNaNBits } from './value.ts';
export { appendUtf8, hashLabels, xxhash64 } from './xxhash.ts';
