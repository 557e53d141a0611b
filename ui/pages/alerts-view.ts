/** Small pieces the Alerts page's sections share: times, labels, badges, and a keyed list that redraws in place. */
import { h } from '../dom.ts';
import type { LabelSet, Matcher } from './alerts-api.ts';

/** Unix ms of a time given as Unix ms or RFC 3339; NaN when unknown (Go's zero time included). */
export function timeMs(t: number | string): number {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  return ms > 0 ? ms : Number.NaN;
}

const pair = (a: number, au: string, b: number, bu: string) => (b === 0 ? `${a}${au}` : `${a}${au} ${b}${bu}`);

/** "42s ago", "3m ago", "in 59m", "in 1d 2h". */
export function relative(ms: number, now = Date.now()): string {
  if (!Number.isFinite(ms)) return 'never';
  const s = Math.round(Math.abs(now - ms) / 1000);
  const span =
    s < 60
      ? `${s}s`
      : s < 3600
        ? `${Math.floor(s / 60)}m`
        : s < 86_400
          ? pair(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'm')
          : pair(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
  return ms <= now ? `${span} ago` : `in ${span}`;
}

/** A `<time>` showing `t` relative to now; `updateTimes` keeps it current without redrawing its row. */
export function when(t: number | string): HTMLTimeElement {
  const ms = timeMs(t);
  const iso = Number.isFinite(ms) ? new Date(ms).toISOString() : '';
  return h(
    'time',
    { datetime: iso || undefined, title: iso ? new Date(ms).toLocaleString() : undefined },
    relative(ms),
  );
}

/** Rewrites the relative text of every `when()` under `root`. */
export function updateTimes(root: HTMLElement, now = Date.now()): void {
  for (const el of root.querySelectorAll<HTMLTimeElement>('time[datetime]')) {
    const text = relative(Date.parse(el.dateTime), now);
    if (el.textContent !== text) el.textContent = text;
  }
}

/** One chip per label, sorted by name, the labels named in `skip` left out. */
export function labelChips(labels: LabelSet, skip: readonly string[] = []): HTMLElement[] {
  return Object.entries(labels)
    .filter(([k]) => !skip.includes(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => h('span', { class: 'label' }, `${k}="${v}"`));
}

/** `state` as a badge; its class picks the colour (see alerts-style.ts). */
export function badge(state: string, text = state): HTMLElement {
  return h('span', { class: `badge ${state}` }, text.toUpperCase());
}

export function matcherText(m: Matcher): string {
  const op = m.isEqual === false ? (m.isRegex ? '!~' : '!=') : m.isRegex ? '=~' : '=';
  return `${m.name}${op}"${m.value}"`;
}

/** A table with a header row over `body` (which a KeyedList usually fills). */
export function table(id: string | undefined, heads: readonly string[], body: HTMLTableSectionElement): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          heads.map((t) => h('th', {}, t)),
        ),
      ),
      body,
    ),
  );
}

/**
 * Keeps `parent`'s children equal to `items` rendered in order. An item whose key and signature are unchanged
 * keeps its node (and so its focus, hover and open state); nodes of items that left are dropped with them.
 */
export class KeyedList<T> {
  private nodes = new Map<string, { sig: string; node: HTMLElement }>();

  constructor(
    private readonly parent: HTMLElement,
    private readonly key: (item: T) => string,
    private readonly render: (item: T) => HTMLElement,
    /** What, when changed, redraws the item. @default JSON of the item */
    private readonly signature: (item: T) => string = (item) => JSON.stringify(item),
  ) {}

  update(items: readonly T[]): void {
    const next = new Map<string, { sig: string; node: HTMLElement }>();
    const out: HTMLElement[] = [];
    for (const item of items) {
      let k = this.key(item);
      while (next.has(k)) k += '\u0000';
      const sig = this.signature(item);
      let entry = this.nodes.get(k);
      if (entry === undefined || entry.sig !== sig) entry = { sig, node: this.render(item) };
      next.set(k, entry);
      out.push(entry.node);
    }
    this.nodes = next;
    syncChildren(this.parent, out);
  }
}

/** Makes `parent`'s children exactly `nodes`, moving only the ones out of place. */
export function syncChildren(parent: HTMLElement, nodes: readonly HTMLElement[]): void {
  nodes.forEach((node, i) => {
    const at = parent.children[i];
    if (at !== node) parent.insertBefore(node, at ?? null);
  });
  while (parent.children.length > nodes.length) parent.lastElementChild?.remove();
}

/** Replaces `parent`'s children with `nodes` unless they are equal already (so a refresh keeps selection). */
export function show(parent: HTMLElement, ...nodes: Node[]): void {
  const now = parent.childNodes;
  if (now.length === nodes.length && nodes.every((n, i) => now[i]?.isEqualNode(n))) return;
  parent.replaceChildren(...nodes);
}
