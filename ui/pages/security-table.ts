/**
 * The Security page's events table: one row per event, newest first, each expandable (its button, a click on the
 * row, or Enter/Space on the focused button) into the rules that matched. Rows are keyed by request id and
 * kept across refreshes, so an expanded row stays expanded and a focused button keeps the focus.
 */
import { h } from '../dom.ts';
import type { MatchedRule, StoredEvent } from './security-api.ts';

const heads = ['', 'Time', 'Site', 'Client IP', 'Method', 'URI', 'Status', 'Action', 'Score', 'Rules'];

/** "14:03:07" today, with the date before that; the full time in the title. */
function timeCell(ms: number): HTMLElement {
  const d = new Date(ms);
  const today = d.toDateString() === new Date().toDateString();
  return h(
    'td',
    { class: 'sec-time' },
    h('time', { datetime: d.toISOString(), title: d.toString() }, today ? d.toLocaleTimeString() : d.toLocaleString()),
  );
}

/** Each rule id once, in the order the rules matched. */
function ruleIds(matches: readonly MatchedRule[]): number[] {
  return [...new Set(matches.map((m) => m.id))];
}

function matchesTable(matches: readonly MatchedRule[]): HTMLElement {
  if (matches.length === 0) return h('p', { class: 'muted' }, 'No rule matched (an inspector interrupted).');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'sec-matches' },
      h('caption', { class: 'muted' }, 'Rules that matched, in evaluation order'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Rule', 'Phase', 'Severity', 'Message', 'Data', 'Tags'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        matches.map((m) =>
          h(
            'tr',
            { 'data-rule-id': String(m.id) },
            h('td', { class: 'mono' }, String(m.id)),
            h('td', { class: 'num' }, String(m.phase)),
            h('td', {}, m.severity),
            h('td', {}, m.msg),
            h('td', { class: 'mono sec-data' }, m.data),
            h(
              'td',
              {},
              m.tags.map((t) => h('span', { class: 'label' }, t)),
            ),
          ),
        ),
      ),
    ),
  );
}

function detail(e: StoredEvent, id: string): HTMLTableRowElement {
  const anomaly = e.event.anomaly;
  return h(
    'tr',
    { class: 'sec-detail', id, hidden: true },
    h(
      'td',
      { colspan: String(heads.length) },
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, 'Request ID'),
        h('dd', { class: 'sec-request-id' }, e.requestId),
        h('dt', {}, 'URI'),
        h('dd', { class: 'sec-full-uri' }, e.event.uri ?? ''),
        h('dt', {}, 'Anomaly score'),
        h('dd', {}, anomaly ? `inbound ${anomaly.inbound}, outbound ${anomaly.outbound}` : '—'),
      ),
      matchesTable(e.event.matches ?? []),
    ),
  );
}

interface Drawn {
  readonly row: HTMLTableRowElement;
  readonly detail: HTMLTableRowElement;
}

export class EventsTable {
  readonly el: HTMLElement;
  private readonly body = h('tbody', {});
  private readonly drawn = new Map<string, Drawn>();
  private next = 0;

  constructor() {
    this.el = h(
      'div',
      { class: 'table-wrap sec-events-wrap' },
      h(
        'table',
        { id: 'security-events' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            heads.map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        this.body,
      ),
    );
  }

  /** Shows `events` (newest first); rows already drawn are moved only when they must be. */
  update(events: readonly StoredEvent[]): void {
    const keep = new Set<string>();
    let at: ChildNode | null = this.body.firstChild;
    for (const e of events) {
      if (keep.has(e.requestId)) continue;
      keep.add(e.requestId);
      const d = this.drawn.get(e.requestId) ?? this.draw(e);
      for (const el of [d.row, d.detail]) {
        if (at === el) at = el.nextSibling;
        else this.body.insertBefore(el, at);
      }
    }
    for (const [key, d] of this.drawn) {
      if (keep.has(key)) continue;
      d.row.remove();
      d.detail.remove();
      this.drawn.delete(key);
    }
  }

  private draw(e: StoredEvent): Drawn {
    const id = `sec-detail-${this.next++}`;
    const more = detail(e, id);
    const uri = e.event.uri ?? '';
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'sec-toggle',
        'aria-expanded': 'false',
        'aria-controls': id,
        'aria-label': `Matches of ${e.event.method ?? ''} ${uri}`.slice(0, 200),
      },
      '▸',
    );
    const setOpen = (open: boolean) => {
      more.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? '▾' : '▸';
      row.classList.toggle('open', open);
    };
    toggle.addEventListener('click', () => setOpen(more.hidden !== false));
    const row = h(
      'tr',
      { class: 'sec-event', 'data-request-id': e.requestId, 'data-action': e.action },
      h('td', {}, toggle),
      timeCell(e.timeMs),
      h('td', {}, e.site === '' ? h('span', { class: 'muted', title: 'no configured site' }, '—') : e.site),
      h('td', { class: 'mono' }, e.clientIp),
      h('td', { class: 'mono' }, e.event.method ?? ''),
      h('td', { class: 'mono sec-uri', title: uri }, uri),
      h('td', { class: 'num' }, String(e.status)),
      h('td', {}, h('span', { class: `badge ${e.action}` }, e.action)),
      h('td', { class: 'num' }, String(e.event.anomaly?.inbound ?? '')),
      h(
        'td',
        { class: 'sec-rules' },
        ruleIds(e.event.matches ?? []).map((r) => h('span', { class: 'label' }, String(r))),
      ),
    );
    // A click anywhere on the row toggles it too, unless it selected text or hit the button itself.
    row.addEventListener('click', (ev) => {
      if (ev.target instanceof Element && ev.target.closest('button, a') !== null) return;
      if ((getSelection()?.toString() ?? '') !== '') return;
      setOpen(more.hidden !== false);
    });
    const d = { row, detail: more };
    this.drawn.set(e.requestId, d);
    return d;
  }
}
