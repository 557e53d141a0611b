/** The request body processor registry, by the names `ctl:requestBodyProcessor` uses. */
import { json } from './json.ts';
import { multipart } from './multipart.ts';
import type { BodyProcessor } from './types.ts';
import { urlencoded } from './urlencoded.ts';
import { xml } from './xml.ts';

export type { BodyLimits, BodyProcessor } from './types.ts';
export { parseQuery } from './urlencoded.ts';

export const bodyProcessors = {
  URLENCODED: urlencoded,
  MULTIPART: multipart,
  JSON: json,
  XML: xml,
} satisfies Record<string, BodyProcessor>;
