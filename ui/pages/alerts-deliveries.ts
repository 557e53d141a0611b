/** The "Delivery history" section: the outbox's depth, its latest deliveries, and dead letters to retry or discard. */
import { h } from '../dom.ts';
import {
  type DeadLetter,
  type Delivery,
  discardDeadLetter,
  type Notifications,
  retryDeadLetter,
} from './alerts-api.ts';
import { type AlertsContext, act, failure, type Loaded } from './alerts-context.ts';
import { badge, KeyedList, show, table, when } from './alerts-view.ts';

function deliveryRow(d: Delivery): HTMLElement {
  return h(
    'tr',
    { 'data-delivery-id': String(d.id), 'data-status': d.status },
    h('td', {}, when(d.time)),
    h('td', {}, badge(d.status)),
    h('td', {}, d.meta.receiver, h('div', { class: 'muted' }, `${d.meta.integration} (${d.meta.source})`)),
    h('td', {}, d.meta.summary),
    h('td', { class: 'num' }, d.attempts),
    h('td', { class: 'error' }, d.lastError ?? ''),
  );
}

function deadLetterRow(d: DeadLetter, ctx: AlertsContext, status: HTMLElement): HTMLElement {
  const retry = h('button', { type: 'button' }, 'Retry');
  const discard = h('button', { type: 'button' }, 'Discard');
  retry.addEventListener('click', () => void act(ctx, retry, status, () => retryDeadLetter(d.id)));
  discard.addEventListener('click', () => void act(ctx, discard, status, () => discardDeadLetter(d.id)));
  return h(
    'tr',
    { 'data-dead-letter-id': String(d.id) },
    h('td', {}, when(d.diedAt)),
    h('td', {}, d.meta.receiver, h('div', { class: 'muted' }, `${d.meta.integration} (${d.meta.source})`)),
    h('td', {}, d.meta.summary),
    h('td', { class: 'num' }, d.attempts),
    h('td', { class: 'error' }, d.reason),
    h('td', { class: 'actions' }, ctx.canEdit ? [retry, ' ', discard] : null),
  );
}

export function deliveriesSection(ctx: AlertsContext) {
  const depth = h('span', { class: 'muted', id: 'outbox-depth' });
  const note = h('div', {});
  const status = h('p', { class: 'error', role: 'alert' });
  const historyBody = h('tbody', {});
  const deadBody = h('tbody', {});
  const historyTable = table(
    'deliveries',
    ['Time', 'Status', 'Receiver', 'Summary', 'Attempts', 'Last error'],
    historyBody,
  );
  const deadTitle = h('h3', {}, 'Dead letters');
  const deadTable = table('dead-letters', ['Died', 'Receiver', 'Summary', 'Attempts', 'Reason', ''], deadBody);
  const history = new KeyedList<Delivery>(historyBody, (d) => String(d.id), deliveryRow);
  const dead = new KeyedList<DeadLetter>(
    deadBody,
    (d) => String(d.id),
    (d) => deadLetterRow(d, ctx, status),
    (d) => `${ctx.canEdit}${JSON.stringify(d)}`,
  );
  const el = h(
    'section',
    { class: 'card', id: 'notifications' },
    h('h2', {}, 'Delivery history ', depth),
    note,
    historyTable,
    deadTitle,
    status,
    deadTable,
  );

  const update = (r: Loaded<Notifications>) => {
    if (!r.ok) {
      depth.textContent = '';
      show(note, failure('the delivery history', r.error));
      history.update([]);
      dead.update([]);
      historyTable.hidden = deadTitle.hidden = deadTable.hidden = true;
      return;
    }
    const { depth: waiting, history: done, deadLetters } = r.value;
    depth.textContent = `(${waiting} waiting in the outbox)`;
    if (done.length === 0) show(note, h('p', { class: 'muted' }, 'Nothing delivered yet.'));
    else show(note);
    history.update(done);
    historyTable.hidden = done.length === 0;
    dead.update(deadLetters);
    deadTitle.hidden = deadTable.hidden = deadLetters.length === 0;
  };
  return { el, update };
}
