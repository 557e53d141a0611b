/** The app shell: session, navigation, user menu and the page router (History API; the server serves index.html). */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { getSession, logout, type Session, setCsrfToken } from './api.ts';
import { h } from './dom.ts';
import { matchPage, type Page, pages } from './pages/index.ts';

const app = document.getElementById('app') as HTMLElement;
let current: AbortController | undefined;

function pageFor(pathname: string): Page {
  return matchPage(pathname) ?? (pages[0] as Page);
}

function navigation(): HTMLElement {
  return h(
    'nav',
    { class: 'main', 'aria-label': 'Main' },
    h(
      'ul',
      {},
      pages.filter((p) => p.prefix !== true).map((p) => h('li', {}, h('a', { href: p.path, 'data-nav': '' }, p.title))),
    ),
  );
}

function userMenu(session: Session): HTMLElement {
  const menu = h(
    'div',
    { class: 'user-menu', id: 'user-menu', hidden: true },
    h('div', { class: 'muted' }, `Signed in as ${session.user} (${session.role})`),
    h('button', { type: 'button', onclick: () => void logout() }, 'Log out'),
  );
  const toggle = h(
    'button',
    { type: 'button', 'aria-haspopup': 'true', 'aria-expanded': 'false', 'aria-controls': 'user-menu' },
    session.user,
  );
  const setOpen = (open: boolean) => {
    menu.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(menu.hidden !== false));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !menu.hidden) {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener('click', (e) => {
    if (!menu.hidden && !(e.target instanceof Node && (menu.contains(e.target) || toggle.contains(e.target))))
      setOpen(false);
  });
  return h('div', { class: 'user' }, toggle, menu);
}

async function render(): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const page = pageFor(location.pathname);
  document.title = `${page.title} · vigil`;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-nav]')) {
    if (a.pathname === page.path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('main') as HTMLElement;
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const mount = await page.load();
    if (controller.signal.aborted) return;
    main.replaceChildren();
    mount(main, controller.signal);
  } catch (err) {
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Cannot load ${page.title}: ${String(err)}`));
  }
}

/** Navigates inside the app without reloading. */
export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  void render();
}

async function start(): Promise<void> {
  const session = await getSession();
  setCsrfToken(session.csrfToken);
  app.replaceChildren(
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h(
      'header',
      { class: 'top' },
      h('a', { class: 'brand', href: '/', 'data-nav-home': '' }, 'vigil'),
      navigation(),
      userMenu(session),
    ),
    h('main', { id: 'main', tabindex: '-1' }),
  );
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a') : null;
    if (!a || a.origin !== location.origin || e.defaultPrevented || e.button !== 0) return;
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target !== '' || a.hash !== '') return;
    if (matchPage(a.pathname) === undefined) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
  window.addEventListener('popstate', () => void render());
  await render();
}

start().catch((err) => {
  app.replaceChildren(h('p', { class: 'error', role: 'alert' }, `vigil could not start: ${String(err)}`));
});
