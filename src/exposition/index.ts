export { lineCol } from './bytes.ts';
export { contentTypeOf, formatFromContentType, scrapeAcceptHeader } from './content-type.ts';
export { ExpositionParseError, ExpositionWriteError } from './errors.ts';
export { formatGoFloat, formatOpenMetricsFloat, formatOpenMetricsTimestamp } from './format-float.ts';
export { OpenMetricsParser } from './openmetrics-parser.ts';
export { writeOpenMetrics } from './openmetrics-writer.ts';
export { createParser } from './parser.ts';
export { normalNaN } from './parser-base.ts';
export type { ReadFamily, ReadResult } from './read-families.ts';
export { readFamilies } from './read-families.ts';
export type { SuffixTable } from './suffixes.ts';
export { anySuffixes, belongsToFamily, openMetricsSuffixes } from './suffixes.ts';
export { TextParser } from './text-parser.ts';
export type { WriteResult } from './text-writer.ts';
export { writeText } from './text-writer.ts';
export type {
  Exemplar,
  ExpositionFormat,
  ExpositionParser,
  MetricFamily,
  MetricSample,
  MetricType,
  ParserOptions,
} from './types.ts';
export { Entry } from './types.ts';
