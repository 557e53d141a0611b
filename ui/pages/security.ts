/**
 * Security: what the gateway's WAF recorded. A summary of the chosen window (last hour, 24 hours, 7 days) and its
 * events newest first, filtered by action, site, client IP and rule id. The window and the filters live in the URL
 * query (`?range=&action=&site=&ip=&rule=`) so that a view can be shared; the server applies the filters. Reloads
 * every 10 s while open. Event fields are attacker-controlled: they only ever become text nodes and attributes.
 */
import { h } from '../dom.ts';
import { refreshLoop } from '../refresh.ts';
import {
  eventLimit,
  gatewayConfigured,
  getEvents,
  getSummary,
  type Range,
  ranges,
  type SecurityState,
  type StoredEvent,
  type Summary,
  searchOf,
  stateFromSearch,
} from './security-api.ts';
import { emptyView, summaryView } from './security-summary.ts';
import { EventsTable } from './security-table.ts';

const refreshMs = 10_000;

type Loaded<T> = { ok: true; value: T } | { ok: false; error: unknown };

const settle = <T>(p: Promise<T>): Promise<Loaded<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

const failure = (what: string, err: unknown) =>
  h('p', { class: 'error', role: 'alert' }, `Cannot load ${what}: ${err instanceof Error ? err.message : String(err)}`);

/** The filter form; `apply` gets the state it describes on submit (and at once when the action changes). */
function filterForm(apply: (change: Partial<SecurityState>) => void) {
  const field = (name: string, label: string, attrs: Record<string, string> = {}) =>
    h('input', { name, id: `sec-${name}`, 'aria-label': label, placeholder: label, autocomplete: 'off', ...attrs });
  const action = h(
    'select',
    { name: 'action', id: 'sec-action', 'aria-label': 'Action' },
    h('option', { value: '' }, 'All actions'),
    h('option', { value: 'blocked' }, 'Blocked'),
    h('option', { value: 'detected' }, 'Detected'),
  );
  const site = field('site', 'Site', { size: '14', maxlength: '253' });
  const ip = field('ip', 'Client IP', { size: '14', maxlength: '45' });
  const rule = field('rule', 'Rule ID', { size: '8', maxlength: '10', inputmode: 'numeric' });
  const read = (): Partial<SecurityState> => ({
    action: action.value === 'blocked' || action.value === 'detected' ? action.value : '',
    site: site.value.trim(),
    ip: ip.value.trim(),
    rule: rule.value.trim(),
  });
  const el = h(
    'form',
    { class: 'row sec-filters', role: 'search', 'aria-label': 'Filter events' },
    action,
    site,
    ip,
    rule,
    h('button', { type: 'submit' }, 'Apply'),
    h(
      'button',
      { type: 'button', id: 'sec-clear', onclick: () => apply({ action: '', site: '', ip: '', rule: '' }) },
      'Clear',
    ),
  );
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    apply(read());
  });
  action.addEventListener('change', () => apply(read()));
  return {
    el,
    show(s: SecurityState) {
      action.value = s.action;
      site.value = s.site;
      ip.value = s.ip;
      rule.value = s.rule;
    },
  };
}

export function mountSecurity(root: HTMLElement, signal: AbortSignal): void {
  let state = stateFromSearch(location.search);
  const updated = h('span', { class: 'muted', id: 'security-updated' });
  const rangeButtons = (Object.keys(ranges) as Range[]).map((r) =>
    h('button', { type: 'button', 'data-range': r, onclick: () => apply({ range: r }) }, r),
  );
  const form = filterForm((change) => apply(change));
  const summaryTitle = h('h2', {});
  const summaryBody = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const eventsNote = h('div', { id: 'security-events-note' });
  const table = new EventsTable();
  const eventsCard = h(
    'section',
    { class: 'card', id: 'security-events-card', hidden: true },
    h('h2', {}, 'Events'),
    form.el,
    eventsNote,
    table.el,
  );
  root.append(
    h(
      'div',
      { class: 'security-page' },
      h(
        'div',
        { class: 'row' },
        h('h1', {}, 'Security'),
        h('div', { class: 'tabs', role: 'group', 'aria-label': 'Window' }, rangeButtons),
        updated,
      ),
      h('section', { class: 'card', id: 'security-summary' }, summaryTitle, summaryBody),
      eventsCard,
    ),
  );

  const showState = () => {
    for (const b of rangeButtons) b.setAttribute('aria-pressed', String(b.dataset.range === state.range));
    summaryTitle.textContent = `Last ${ranges[state.range].text}`;
    form.show(state);
  };

  function apply(change: Partial<SecurityState>): void {
    state = { ...state, ...change };
    const search = searchOf(state);
    if (search !== location.search) history.pushState(null, '', `/security${search}`);
    showState();
    loop.now();
  }

  /** What the summary's card shows now: it is redrawn only when that changes (a focused link keeps the focus). */
  let summaryShown = '';
  const showSummary = (key: string, build: () => Node[]) => {
    if (key === summaryShown) return;
    summaryShown = key;
    summaryBody.replaceChildren(...build());
  };

  function draw(gateway: Loaded<boolean>, summary: Loaded<Summary>, events: Loaded<StoredEvent[]>): void {
    if (!summary.ok) {
      showSummary(`error ${String(summary.error)}`, () => [failure('the summary', summary.error)]);
      eventsCard.hidden = true;
      return;
    }
    const s = summary.value;
    if (s.total === 0) {
      // Without an answer about the gateway, assume one runs: the plainer of the two messages.
      const gw = !gateway.ok || gateway.value;
      showSummary(JSON.stringify([gw, state]), () => emptyView(state, gw));
      eventsCard.hidden = true;
      table.update([]);
      return;
    }
    showSummary(JSON.stringify([s, state]), () => summaryView(s, state));
    eventsCard.hidden = false;
    if (!events.ok) {
      eventsNote.replaceChildren(failure('the events', events.error));
      table.el.hidden = true;
      return;
    }
    const list = events.value;
    const filtered = state.action !== '' || state.site !== '' || state.ip !== '' || state.rule !== '';
    table.el.hidden = list.length === 0;
    table.update(list);
    eventsNote.replaceChildren(
      list.length === 0
        ? h(
            'p',
            { class: 'muted' },
            `No ${filtered ? 'events match these filters' : 'security events'} in the last ${ranges[state.range].text}.`,
          )
        : h(
            'p',
            { class: 'muted' },
            `${list.length === eventLimit ? 'The newest ' : ''}${list.length}${filtered ? ' matching' : ''} ` +
              `event${list.length === 1 ? '' : 's'}.`,
          ),
    );
  }

  /** Loads the gateway's status, the summary and the events at once. */
  async function load(): Promise<void> {
    const since = Date.now() - ranges[state.range].ms;
    const [gateway, summary, events] = await Promise.all([
      settle(gatewayConfigured(signal)),
      settle(getSummary(since, signal)),
      settle(getEvents(state, since, signal)),
    ]);
    if (signal.aborted) return;
    draw(gateway, summary, events);
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }
  const loop = refreshLoop(load, refreshMs, signal);
  showState();
  loop.now();
}
