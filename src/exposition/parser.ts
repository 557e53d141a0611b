/** The parser for a format. */
import { OpenMetricsParser } from './openmetrics-parser.ts';
import { TextParser } from './text-parser.ts';
import type { ExpositionFormat, ExpositionParser, ParserOptions } from './types.ts';

/** A parser over `body` in `format`; use `formatFromContentType` to pick the format of a scrape. */
export function createParser(body: Uint8Array, format: ExpositionFormat, options?: ParserOptions): ExpositionParser {
  return format === 'openmetrics-1.0.0' ? new OpenMetricsParser(body, options) : new TextParser(body, options);
}
