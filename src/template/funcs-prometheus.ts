/**
 * Prometheus' template functions (alert rule labels and annotations, console templates), over an injected
 * query function so that this module knows nothing of PromQL.
 */
import { isIP } from 'node:net';
import { parseDurationMs } from '../model/index.ts';
import { queryEscape } from './builtins.ts';
import { ArgumentError } from './errors.ts';
import type { TemplateFunc } from './exec.ts';
import { arity, str, toFloat } from './func-args.ts';
import { matchString, replaceAllString } from './go-regexp.ts';
import {
  floatToTime,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
  toDuration,
} from './humanize.ts';
import type { FuncMap } from './template-set.ts';
import { goStringsTitle, toLower, toUpper } from './text-funcs.ts';
import { goTypeName } from './value.ts';

/** One sample of a query result as templates see it: `.Labels` (with `__name__`) and `.Value`. */
export type QuerySample = { readonly Labels: Readonly<Record<string, string>>; readonly Value: number };

export interface PrometheusFuncsOptions {
  /** Runs an instant query at `timeMs` (Unix milliseconds) and returns its vector. */
  query: (q: string, timeMs: number) => Promise<QuerySample[]>;
  /** Evaluation time for `query`, in Unix milliseconds. */
  timeMs: number;
  /** The server's external URL, as `externalURL` returns it. */
  externalURL: string;
  /** What `pathPrefix` returns. @default the path of externalURL */
  pathPrefix?: string;
}

/** A query result sample; a struct to templates (so ranging over a result gives samples, not maps). */
class Sample {
  constructor(
    readonly Labels: Readonly<Record<string, string>>,
    readonly Value: number,
  ) {}
}

function sample(v: unknown): Sample | QuerySample {
  if (v instanceof Sample || (typeof v === 'object' && v !== null && 'Labels' in v && 'Value' in v))
    return v as QuerySample;
  throw new ArgumentError(`wrong type for value; expected *template.sample; got ${goTypeName(v)}`);
}

function samples(v: unknown): QuerySample[] {
  if (Array.isArray(v)) return v.map(sample);
  throw new ArgumentError(`wrong type for value; expected template.queryResult; got ${goTypeName(v)}`);
}

/** Go's net.SplitHostPort, or undefined where it fails. */
function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return undefined;
  let host = hostPort.slice(0, colon);
  const port = hostPort.slice(colon + 1);
  if (host.startsWith('[')) {
    if (!host.endsWith(']') || host.indexOf(']') !== host.length - 1) return undefined;
    host = host.slice(1, -1);
  } else if (host.includes(':') || host.includes('[') || host.includes(']') || port.includes(']')) return undefined;
  return { host, port };
}

const joinHostPort = (host: string, port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The path of a URL as Go's url.URL.Path has it: "" for `http://host`, "/x" for `http://host/x?q`. */
function urlPath(u: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(u);
  return m === null ? '' : decodeURIComponentSafe(m[1] as string);
}
function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const number =
  (name: string, f: (v: number) => unknown): TemplateFunc =>
  (...args) => {
    arity(name, args, 1);
    return f(toFloat(args[0]));
  };
const string1 =
  (name: string, f: (s: string) => unknown): TemplateFunc =>
  (...args) => {
    arity(name, args, 1);
    return f(str(args[0]));
  };

/** Prometheus' function map for one expansion (`query` runs at `o.timeMs`). */
export function prometheusFuncs(o: PrometheusFuncsOptions): FuncMap {
  const funcs = {
    query: async (...args: unknown[]) => {
      arity('query', args, 1);
      const result = await o.query(str(args[0]), o.timeMs);
      return result.map((s) => new Sample(s.Labels, s.Value));
    },
    first: (...args: unknown[]) => {
      arity('first', args, 1);
      const v = samples(args[0]);
      if (v.length === 0) throw new Error('first() called on vector with no elements');
      return v[0];
    },
    label: (...args: unknown[]) => {
      arity('label', args, 2);
      return sample(args[1]).Labels[str(args[0])] ?? '';
    },
    value: (...args: unknown[]) => {
      arity('value', args, 1);
      return sample(args[0]).Value;
    },
    strvalue: (...args: unknown[]) => {
      arity('strvalue', args, 1);
      return sample(args[0]).Labels.__value__ ?? '';
    },
    sortByLabel: (...args: unknown[]) => {
      arity('sortByLabel', args, 2);
      const label = str(args[0]);
      const key = (s: QuerySample) => s.Labels[label] ?? '';
      return [...samples(args[1])].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    },
    args: (...args: unknown[]) => Object.fromEntries(args.map((a, i) => [`arg${i}`, a])),
    reReplaceAll: (...args: unknown[]) => {
      arity('reReplaceAll', args, 3);
      return replaceAllString(str(args[0]), str(args[2]), str(args[1]));
    },
    safeHtml: string1('safeHtml', (s) => s),
    match: (...args: unknown[]) => {
      arity('match', args, 2);
      return matchString(str(args[0]), str(args[1]));
    },
    title: string1('title', goStringsTitle),
    toUpper,
    toLower,
    graphLink: string1('graphLink', (e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=0`),
    tableLink: string1('tableLink', (e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=1`),
    humanize: number('humanize', humanize),
    humanize1024: number('humanize1024', humanize1024),
    humanizeDuration: number('humanizeDuration', humanizeDuration),
    humanizePercentage: number('humanizePercentage', humanizePercentage),
    humanizeTimestamp: number('humanizeTimestamp', humanizeTimestamp),
    toTime: number('toTime', floatToTime),
    toDuration: number('toDuration', toDuration),
    pathPrefix: (...args: unknown[]) => {
      arity('pathPrefix', args, 0);
      return o.pathPrefix ?? urlPath(o.externalURL);
    },
    externalURL: (...args: unknown[]) => {
      arity('externalURL', args, 0);
      return o.externalURL;
    },
    parseDuration: string1('parseDuration', (s) => {
      const ms = parseDurationMs(s);
      if (ms === undefined) throw new Error(`not a valid duration string: ${JSON.stringify(s)}`);
      return ms / 1000;
    }),
    stripPort: string1('stripPort', (hp) => splitHostPort(hp)?.host ?? hp),
    stripDomain: string1('stripDomain', (hp) => {
      const split = splitHostPort(hp);
      const host = split?.host ?? hp;
      if (isIP(host) !== 0) return hp;
      const short = host.split('.')[0] as string;
      return split !== undefined && split.port !== '' ? joinHostPort(short, split.port) : short;
    }),
  } satisfies Record<string, TemplateFunc>;
  return funcs;
}
