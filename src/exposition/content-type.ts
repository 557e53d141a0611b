/** Picking the format from a Content-Type header, and the headers to send. */
import type { ExpositionFormat } from './types.ts';

const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const paramRe = new RegExp(`^${token}\\s*=\\s*(${token}|"(?:[^"\\\\]|\\\\.)*")$`);

/**
 * The format of a scrape body with this Content-Type, as Prometheus 2.42 picks its parser: OpenMetrics for the media
 * type `application/openmetrics-text` (any version, any case), text 0.0.4 for anything else — another media type, a
 * missing or malformed header (Prometheus logs the malformed one and falls back the same way).
 */
export function formatFromContentType(contentType: string | null | undefined): ExpositionFormat {
  if (!contentType) return 'text-0.0.4';
  const parts = contentType.split(';');
  const mediaType = (parts[0] as string).trim().toLowerCase();
  if (mediaType !== 'application/openmetrics-text') return 'text-0.0.4';
  for (let i = 1; i < parts.length; i++) {
    const p = (parts[i] as string).trim();
    if (p !== '' && !paramRe.test(p)) return 'text-0.0.4';
  }
  return 'openmetrics-1.0.0';
}

/** The Content-Type to serve a body of `format` with. */
export function contentTypeOf(format: ExpositionFormat): string {
  return format === 'openmetrics-1.0.0'
    ? 'application/openmetrics-text; version=1.0.0; charset=utf-8'
    : 'text/plain; version=0.0.4; charset=utf-8';
}

/** The Accept header Prometheus 2.42 scrapes with (OpenMetrics preferred, text 0.0.4 next). */
export const scrapeAcceptHeader =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
