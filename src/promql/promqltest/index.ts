/** The PromQL test-language runner: upstream's `.test` files against vigil's engine. */
export type {
  ClearCommand,
  Command,
  EvalCommand,
  ExpectedSeries,
  LoadCommand,
  LoadedSeries,
  MessageMatch,
} from './commands.ts';
export { TestSyntaxError } from './commands.ts';
export { almostEqual } from './compare.ts';
export { defaultTestdataDir, listTestFiles } from './files.ts';
export { parseTestFile } from './parse.ts';
export { countReasons, failureGroups, failureText, fileLine, totalsLine } from './report.ts';
export type { EvalOutcome, EvalStatus, FileReport, QueryEngine, RunOptions } from './run.ts';
export { runTestFile, upstreamTestEngineOptions } from './run.ts';
export type { SequenceValue } from './series-desc.ts';
