/**
 * Alerts: what the alerting rules fire, the alert groups as Alertmanager routes them, the silences (create one from
 * an alert, expire one), and the notification outbox's delivery history with its dead letters. Every section
 * reloads every 10 s and after each action, redrawing only the rows that changed.
 */
import { getSession } from '../api.ts';
import { h } from '../dom.ts';
import { refreshLoop } from '../refresh.ts';
import { getAlertGroups, getNotifications, getRules, getSilences } from './alerts-api.ts';
import type { AlertsContext, Loaded } from './alerts-context.ts';
import { deliveriesSection } from './alerts-deliveries.ts';
import { groupsSection } from './alerts-groups.ts';
import { rulesSection } from './alerts-rules.ts';
import { silencesSection } from './alerts-silences.ts';
import { adoptAlertsStyle } from './alerts-style.ts';
import { updateTimes } from './alerts-view.ts';

const refreshMs = 10_000;

const settle = <T>(p: Promise<T>): Promise<Loaded<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

export function mountAlerts(root: HTMLElement, signal: AbortSignal): void {
  adoptAlertsStyle();
  const ctx: AlertsContext = {
    canEdit: false,
    user: '',
    silence: (labels) => silences.open(labels),
    refresh: () => loop.now(),
  };
  const receiver = new URLSearchParams(location.search).get('receiver') ?? '';
  const rules = rulesSection(ctx);
  const groups = groupsSection(ctx, receiver);
  const silences = silencesSection(ctx);
  const deliveries = deliveriesSection(ctx);
  const updated = h('span', { class: 'muted', 'aria-live': 'polite', id: 'alerts-updated' });
  const page = h(
    'div',
    { class: 'alerts-page' },
    h('div', { class: 'row' }, h('h1', {}, 'Alerts'), updated),
    rules.el,
    groups.el,
    silences.el,
    deliveries.el,
  );
  root.append(page);

  const session = settle(getSession());

  /** Loads the four APIs at once. */
  async function load(): Promise<void> {
    const [who, r, g, s, n] = await Promise.all([
      session,
      settle(getRules(signal)),
      settle(getAlertGroups(signal)),
      settle(getSilences(signal)),
      settle(getNotifications(signal)),
    ]);
    if (signal.aborted) return;
    if (who.ok) {
      ctx.canEdit = who.value.role === 'admin';
      // With authentication off the server says "anonymous": let the author be typed in.
      ctx.user = who.value.user === 'anonymous' ? '' : who.value.user;
    }
    rules.update(r);
    groups.update(g);
    silences.update(s);
    deliveries.update(n);
    updateTimes(page);
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }
  const loop = refreshLoop(load, refreshMs, signal);
  loop.now();
}
