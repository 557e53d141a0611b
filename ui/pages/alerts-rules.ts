/** The "Firing and pending" section: the active alerts of alerting rules, and the rules that fail to evaluate. */
import { formatValue, h } from '../dom.ts';
import type { Rule, RuleAlert, RuleGroup } from './alerts-api.ts';
import { type AlertsContext, failure, type Loaded } from './alerts-context.ts';
import { badge, KeyedList, labelChips, show, table, when } from './alerts-view.ts';

interface ActiveAlert {
  group: string;
  rule: string;
  alert: RuleAlert;
}

const stateOrder = { firing: 0, pending: 1, inactive: 2 };

function alertRow(a: ActiveAlert, ctx: AlertsContext): HTMLElement {
  const { labels, annotations } = a.alert;
  const value = Number(a.alert.value);
  return h(
    'tr',
    { 'data-alertname': labels.alertname ?? a.rule, 'data-state': a.alert.state },
    h('td', {}, h('strong', {}, labels.alertname ?? a.rule)),
    h('td', {}, badge(a.alert.state)),
    h('td', {}, labelChips(labels, ['alertname'])),
    h(
      'td',
      {},
      annotations.summary ?? '',
      annotations.description ? h('div', { class: 'desc' }, annotations.description) : null,
    ),
    h('td', {}, when(a.alert.activeAt)),
    h('td', { class: 'num' }, Number.isNaN(value) ? a.alert.value : formatValue(value)),
    h(
      'td',
      { class: 'actions' },
      ctx.canEdit ? h('button', { type: 'button', onclick: () => ctx.silence(labels) }, 'Silence') : null,
    ),
  );
}

function ruleError(g: RuleGroup, r: Rule): HTMLElement {
  return h(
    'li',
    { 'data-rule': r.name },
    badge('err'),
    ' ',
    h('strong', {}, r.name),
    h('span', { class: 'muted' }, ` in ${g.name} (${g.file})`),
    h('div', { class: 'error' }, r.lastError || 'unknown error'),
  );
}

/** The section; `update` redraws only the rows that changed. */
export function rulesSection(ctx: AlertsContext): { el: HTMLElement; update(r: Loaded<RuleGroup[]>): void } {
  const counts = h('span', { class: 'muted' });
  const note = h('div', {});
  const rows = h('tbody', {});
  const wrap = table('rule-alerts', ['Alert', 'State', 'Labels', 'Summary', 'Active since', 'Value', ''], rows);
  const errors = h('ul', { class: 'rule-errors' });
  const list = new KeyedList<ActiveAlert>(
    rows,
    (a) => `${a.group}\u0000${a.rule}\u0000${JSON.stringify(a.alert.labels)}`,
    (a) => alertRow(a, ctx),
    (a) => `${ctx.canEdit}${JSON.stringify(a.alert)}`,
  );
  const el = h(
    'section',
    { class: 'card', id: 'rules' },
    h('h2', {}, 'Firing and pending ', counts),
    note,
    wrap,
    errors,
  );

  const update = (r: Loaded<RuleGroup[]>) => {
    if (!r.ok) {
      counts.textContent = '';
      show(note, failure('the rules', r.error));
      list.update([]);
      wrap.hidden = true;
      show(errors);
      return;
    }
    const active: ActiveAlert[] = [];
    const failing: HTMLElement[] = [];
    const n = { firing: 0, pending: 0, inactive: 0 };
    for (const g of r.value) {
      for (const rule of g.rules) {
        if (rule.type !== 'alerting') continue;
        n[rule.state ?? 'inactive']++;
        if (rule.health === 'err') failing.push(ruleError(g, rule));
        for (const alert of rule.alerts ?? []) {
          if (alert.state !== 'inactive') active.push({ group: g.name, rule: rule.name, alert });
        }
      }
    }
    active.sort(
      (a, b) =>
        stateOrder[a.alert.state] - stateOrder[b.alert.state] ||
        a.rule.localeCompare(b.rule) ||
        a.alert.activeAt.localeCompare(b.alert.activeAt),
    );
    const rules = n.firing + n.pending + n.inactive;
    counts.textContent = `(${rules} alerting rules: ${n.firing} firing, ${n.pending} pending, ${n.inactive} inactive)`;
    if (active.length === 0) show(note, h('p', { class: 'muted' }, 'No alerting rule is firing or pending.'));
    else show(note);
    list.update(active);
    wrap.hidden = active.length === 0;
    show(errors, ...failing);
  };
  return { el, update };
}
