/** The "Silences" section: active and pending silences first, expired ones collapsed, and the form to add one. */
import { h } from '../dom.ts';
import { expireSilence, type Silence } from './alerts-api.ts';
import { type AlertsContext, act, failure, type Loaded } from './alerts-context.ts';
import { silenceForm } from './alerts-silence-form.ts';
import { badge, KeyedList, matcherText, show, table, when } from './alerts-view.ts';

/** At most this many expired silences are drawn (Alertmanager keeps them for days). */
const maxExpired = 50;

const heads = ['State', 'Matchers', 'Starts', 'Ends', 'Created by', 'Comment', ''];

function silenceRow(s: Silence, ctx: AlertsContext, status: HTMLElement): HTMLElement {
  const state = s.status.state;
  const expire = h('button', { type: 'button' }, 'Expire');
  expire.addEventListener('click', () => void act(ctx, expire, status, () => expireSilence(s.id)));
  return h(
    'tr',
    { id: `silence-${s.id}`, 'data-silence-id': s.id, 'data-state': state },
    h('td', {}, badge(state === 'active' ? 'silence-active' : state, state)),
    h(
      'td',
      {},
      s.matchers.map((m) => h('span', { class: 'label' }, matcherText(m))),
    ),
    h('td', {}, when(s.startsAt)),
    h('td', {}, when(s.endsAt)),
    h('td', {}, s.createdBy),
    h('td', {}, s.comment, h('div', { class: 'muted mono', title: 'Silence ID' }, s.id)),
    h('td', { class: 'actions' }, ctx.canEdit && state !== 'expired' ? expire : null),
  );
}

export function silencesSection(ctx: AlertsContext) {
  const status = h('p', { 'aria-live': 'polite', class: 'muted' });
  const form = silenceForm(ctx, (id) => {
    status.textContent = `Silence ${id} created.`;
  });
  const note = h('div', {});
  const liveBody = h('tbody', {});
  const expiredBody = h('tbody', {});
  const liveTable = table('silences-live', heads, liveBody);
  const summary = h('summary', {}, 'Expired');
  const expired = h(
    'details',
    { id: 'silences-expired' },
    summary,
    table('silences-expired-table', heads, expiredBody),
  );
  const newButton = h('button', { type: 'button', onclick: () => form.open() }, 'New silence');
  const row = (s: Silence) => silenceRow(s, ctx, status);
  const signature = (s: Silence) => `${ctx.canEdit}${JSON.stringify(s)}`;
  const live = new KeyedList<Silence>(liveBody, (s) => s.id, row, signature);
  const old = new KeyedList<Silence>(expiredBody, (s) => s.id, row, signature);
  const el = h(
    'section',
    { class: 'card', id: 'silences' },
    h('div', { class: 'row' }, h('h2', {}, 'Silences'), newButton),
    form.el,
    status,
    note,
    liveTable,
    expired,
  );

  const update = (r: Loaded<Silence[]>) => {
    newButton.hidden = !ctx.canEdit || !r.ok;
    if (!r.ok) {
      show(note, failure('the silences', r.error));
      live.update([]);
      old.update([]);
      liveTable.hidden = true;
      expired.hidden = true;
      return;
    }
    const current = r.value
      .filter((s) => s.status.state !== 'expired')
      .sort((a, b) => a.status.state.localeCompare(b.status.state) || a.endsAt.localeCompare(b.endsAt));
    const gone = r.value.filter((s) => s.status.state === 'expired').sort((a, b) => b.endsAt.localeCompare(a.endsAt));
    if (current.length === 0) show(note, h('p', { class: 'muted' }, 'No active or pending silences.'));
    else show(note);
    live.update(current);
    liveTable.hidden = current.length === 0;
    old.update(gone.slice(0, maxExpired));
    expired.hidden = gone.length === 0;
    const text = `Expired (${gone.length}${gone.length > maxExpired ? `, newest ${maxExpired} shown` : ''})`;
    if (summary.textContent !== text) summary.textContent = text;
  };
  return { el, update, open: form.open };
}
