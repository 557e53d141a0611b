/** The "Groups as routed" section: one card per Alertmanager alert group, filterable by receiver. */
import { h } from '../dom.ts';
import type { AlertGroup, RoutedAlert } from './alerts-api.ts';
import { type AlertsContext, failure, type Loaded } from './alerts-context.ts';
import { badge, KeyedList, labelChips, show, table, when } from './alerts-view.ts';

/** Scrolls to the silence's row without a navigation (the app re-renders the page on popstate). */
function toSilence(e: Event): void {
  e.preventDefault();
  const id = (e.currentTarget as HTMLAnchorElement).hash.slice(1);
  document.getElementById(id)?.scrollIntoView({ block: 'center' });
}

function stateCell(a: RoutedAlert): HTMLElement {
  if (a.status.state !== 'suppressed') return h('td', {}, badge(a.status.state));
  const { silencedBy, inhibitedBy } = a.status;
  const links = silencedBy.flatMap((id, i) => [
    i > 0 ? ', ' : '',
    h('a', { href: `#silence-${id}`, class: 'mono', title: id, onclick: toSilence }, id.slice(0, 8)),
  ]);
  return h(
    'td',
    {},
    silencedBy.length > 0 ? [badge('silenced'), ' by ', ...links] : null,
    silencedBy.length > 0 && inhibitedBy.length > 0 ? ' ' : null,
    inhibitedBy.length > 0 ? badge('inhibited') : null,
  );
}

function alertRow(a: RoutedAlert, group: AlertGroup, ctx: AlertsContext): HTMLElement {
  const state = a.status.state === 'suppressed' ? 'suppressed' : 'active';
  return h(
    'tr',
    { class: state, 'data-fingerprint': a.fingerprint, 'data-state': state },
    h('td', {}, h('strong', {}, a.labels.alertname ?? '')),
    stateCell(a),
    h('td', {}, labelChips(a.labels, ['alertname', ...Object.keys(group.labels)])),
    h(
      'td',
      {},
      a.annotations.summary ?? '',
      a.annotations.description ? h('div', { class: 'desc' }, a.annotations.description) : null,
    ),
    h('td', {}, when(a.startsAt)),
    h(
      'td',
      { class: 'actions' },
      ctx.canEdit ? h('button', { type: 'button', onclick: () => ctx.silence(a.labels) }, 'Silence') : null,
    ),
  );
}

/** What a row shows: a re-sent alert (new `updatedAt`, `endsAt`) leaves its card as it is. */
const rowFields = (a: RoutedAlert) => [a.fingerprint, a.labels, a.annotations, a.startsAt, a.status];

function groupCard(g: AlertGroup, ctx: AlertsContext): HTMLElement {
  const suppressed = g.alerts.filter((a) => a.status.state === 'suppressed').length;
  return h(
    'section',
    { class: 'card group', 'data-receiver': g.receiver.name },
    h(
      'h3',
      {},
      'Receiver ',
      h('a', { href: `/alerts?receiver=${encodeURIComponent(g.receiver.name)}` }, g.receiver.name),
      ' ',
      h(
        'span',
        { class: 'muted' },
        `(${g.alerts.length} alert${g.alerts.length === 1 ? '' : 's'}${suppressed > 0 ? `, ${suppressed} suppressed` : ''})`,
      ),
    ),
    h('div', {}, labelChips(g.labels)),
    table(
      undefined,
      ['Alert', 'State', 'Labels', 'Summary', 'Started', ''],
      h(
        'tbody',
        {},
        g.alerts.map((a) => alertRow(a, g, ctx)),
      ),
    ),
  );
}

/** The section; `receiver` (the page's `?receiver=`) limits the groups to one receiver. */
export function groupsSection(
  ctx: AlertsContext,
  receiver: string,
): { el: HTMLElement; update(r: Loaded<AlertGroup[]>): void } {
  const filter = h('select', { id: 'receiver-filter', 'aria-label': 'Receiver' });
  const note = h('div', {});
  const cards = h('div', { id: 'groups' });
  const list = new KeyedList<AlertGroup>(
    cards,
    (g) => `${g.receiver.name}\u0000${JSON.stringify(g.labels)}`,
    (g) => groupCard(g, ctx),
    (g) => `${ctx.canEdit}${JSON.stringify([g.labels, g.alerts.map(rowFields)])}`,
  );
  let last: Loaded<AlertGroup[]> = { ok: true, value: [] };
  const el = h(
    'section',
    { id: 'routed' },
    h('div', { class: 'row' }, h('h2', {}, 'Groups as routed'), h('label', {}, 'Receiver ', filter)),
    note,
    cards,
  );

  const draw = () => {
    const r = last;
    if (!r.ok) {
      show(note, failure('the alert groups', r.error));
      list.update([]);
      return;
    }
    const names = [...new Set([...r.value.map((g) => g.receiver.name), ...(receiver ? [receiver] : [])])].sort();
    show(filter, h('option', { value: '' }, 'All'), ...names.map((n) => h('option', { value: n }, n)));
    filter.value = receiver;
    const shown = receiver === '' ? r.value : r.value.filter((g) => g.receiver.name === receiver);
    if (shown.length > 0) show(note);
    else
      show(
        note,
        h('p', { class: 'muted' }, receiver === '' ? 'No alerts.' : `No alerts routed to receiver ${receiver}.`),
      );
    list.update(shown);
  };
  filter.addEventListener('change', () => {
    receiver = filter.value;
    const url = new URL(location.href);
    if (receiver === '') url.searchParams.delete('receiver');
    else url.searchParams.set('receiver', receiver);
    history.replaceState(null, '', url.pathname + url.search);
    draw();
  });
  return {
    el,
    update(r) {
      last = r;
      draw();
    },
  };
}
