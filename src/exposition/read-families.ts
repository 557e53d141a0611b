/** Reading a whole body into families: for tests, federation checks and tools, not for the scrape hot path. */
import type { Labels } from '../model/index.ts';
import type { ExpositionParseError } from './errors.ts';
import { createParser } from './parser.ts';
import { anySuffixes, belongsToFamily } from './suffixes.ts';
import type { Exemplar, ExpositionFormat, MetricSample, MetricType, ParserOptions } from './types.ts';
import { Entry } from './types.ts';

/** A family as `readFamilies` builds it. */
export interface ReadFamily {
  name: string;
  type: MetricType;
  help: string | undefined;
  unit: string | undefined;
  samples: MetricSample[];
}

/** The families of a body, or the families before the first error and that error. */
export interface ReadResult {
  families: ReadFamily[];
  error: ExpositionParseError | null;
}

/**
 * Parses `body` and groups it into families in exposition order. HELP, TYPE and UNIT lines for a name start a family
 * of that name, or add to the current one when it has the same name; a sample joins the current family when its
 * name is the family name plus a suffix the type allows (either format's conventions), else it starts an `unknown`
 * family of its own name. Comments are dropped.
 */
export function readFamilies(body: Uint8Array, format: ExpositionFormat, options?: ParserOptions): ReadResult {
  const p = createParser(body, format, options);
  const families: ReadFamily[] = [];
  let cur: ReadFamily | undefined;
  const family = (name: string): ReadFamily => {
    if (cur === undefined || cur.name !== name) {
      cur = { name, type: 'unknown', help: undefined, unit: undefined, samples: [] };
      families.push(cur);
    }
    return cur;
  };
  for (;;) {
    const e = p.next();
    if (e === Entry.Eof) return { families, error: null };
    if (e === Entry.Invalid) return { families, error: p.err() };
    if (e === Entry.Help) family(p.metricName()).help = p.help();
    else if (e === Entry.Type) family(p.metricName()).type = p.type();
    else if (e === Entry.Unit) family(p.metricName()).unit = p.unit();
    else if (e === Entry.Sample) {
      const name = p.metricName();
      if (cur === undefined || !belongsToFamily(name, cur.name, cur.type, anySuffixes)) family(name);
      const labels: Labels = p.labels().without('__name__');
      const exemplar: Exemplar | undefined = p.exemplar() ?? undefined;
      (cur as ReadFamily).samples.push({
        name,
        labels,
        value: p.value(),
        timestampMs: p.hasTimestamp() ? p.timestampMs() : undefined,
        exemplar,
      });
    }
  }
}
