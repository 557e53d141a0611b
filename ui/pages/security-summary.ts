/**
 * The Security page's summary of a window: events counted (blocked, detected) and the top client addresses,
 * rules and sites, each a link that filters the events by it; and what to show when there is nothing.
 */
import { h } from '../dom.ts';
import { ranges, type SecurityState, type Summary, searchOf } from './security-api.ts';

const link = (state: SecurityState, change: Partial<SecurityState>) => `/security${searchOf({ ...state, ...change })}`;

function top(title: string, id: string, items: HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'sec-top', id },
    h('h3', {}, title),
    items.length === 0 ? h('p', { class: 'muted' }, '—') : h('ol', {}, items),
  );
}

function item(href: string, label: Node | string, count: number, note?: string): HTMLElement {
  return h(
    'li',
    {},
    h('a', { href, class: 'mono' }, label),
    note === undefined ? null : h('span', { class: 'sec-msg' }, ` ${note}`),
    h('span', { class: 'muted' }, ` · ${count}`),
  );
}

function stat(value: number, text: string, cls: string): HTMLElement {
  return h('div', { class: `sec-stat ${cls}` }, h('span', { class: 'sec-num' }, String(value)), ` ${text}`);
}

/** The summary's card body for `s` over the window `state.range`. */
export function summaryView(s: Summary, state: SecurityState): HTMLElement[] {
  return [
    h(
      'div',
      { class: 'sec-stats' },
      stat(s.total, s.total === 1 ? 'event' : 'events', 'total'),
      stat(s.blocked, 'blocked', 'blocked'),
      stat(s.detected, 'detected', 'detected'),
    ),
    h(
      'div',
      { class: 'sec-tops' },
      top(
        'Top client IPs',
        'security-top-ips',
        s.top_ips.map((x) => item(link(state, { ip: x.ip }), x.ip, x.count)),
      ),
      top(
        'Top rules',
        'security-top-rules',
        s.top_rules.map((x) => item(link(state, { rule: String(x.id) }), String(x.id), x.count, x.msg)),
      ),
      top(
        'Top sites',
        'security-top-sites',
        // The gateway's own refusals of requests for no configured site have no site to filter by.
        s.top_sites.map((x) =>
          x.site === ''
            ? h('li', {}, h('span', { class: 'muted' }, '(no site)'), h('span', { class: 'muted' }, ` · ${x.count}`))
            : item(link(state, { site: x.site }), x.site, x.count),
        ),
      ),
    ),
  ];
}

/** Nothing happened in the window: why, and with no gateway how to configure one. */
export function emptyView(state: SecurityState, gateway: boolean): HTMLElement[] {
  if (gateway) {
    return [h('p', { class: 'sec-empty' }, `No security events in the last ${ranges[state.range].text}.`)];
  }
  return [
    h(
      'p',
      { class: 'sec-empty' },
      'No gateway is configured, so no traffic is inspected. To put vigil’s gateway (TLS, web application ' +
        'firewall) in front of an application, list its sites under ',
      h('code', {}, 'gateway.sites'),
      ' in ',
      h('code', {}, 'vigil.yml'),
      ' and restart vigil (adding the gateway section needs a restart, not a reload):',
    ),
    h(
      'pre',
      {},
      [
        'gateway:',
        '  sites:',
        '    - hosts: [app.example.com]',
        "      upstreams: [{ url: 'http://127.0.0.1:3000' }]",
        '      # Full protection needs the OWASP Core Rule Set (without it: vigil’s baseline rules):',
        '      # waf: { crs_dir: /path/to/coreruleset }',
      ].join('\n'),
    ),
  ];
}
