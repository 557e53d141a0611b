/** The server-rendered pages that exist before the UI app: the login form and a start page. */

const style = `
  :root { color-scheme: light dark; --fg: #1d232a; --bg: #f6f7f9; --card: #fff; --line: #d5d9de; --accent: #2563eb; --bad: #b42318; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e6e9ee; --bg: #14171b; --card: #1d2127; --line: #343a42; --accent: #6ea0ff; --bad: #ff8a80; } }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
  main { max-width: 26rem; margin: 12vh auto; padding: 2rem; background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
  h1 { margin: 0 0 1.25rem; font-size: 1.4rem; }
  label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
  input { width: 100%; padding: .55rem .65rem; font: inherit; color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 6px; }
  input:focus, button:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
  button { margin-top: 1.25rem; width: 100%; padding: .6rem; font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 6px; cursor: pointer; }
  .error { color: var(--bad); margin: 0 0 .5rem; }
  a { color: var(--accent); }
  ul { padding-left: 1.2rem; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}

const errorText: Record<string, string> = {
  credentials: 'Wrong user name or password.',
  locked: 'Too many failed attempts from this address. Try again later.',
  expired: 'Your session has ended. Log in again.',
};

/** The login form; posts to `/login`, which redirects to `next` on success. */
export function loginPage(next: string, error: string | null): string {
  const message =
    error !== null ? `<p class="error" role="alert">${escapeHtml(errorText[error] ?? 'Log in failed.')}</p>` : '';
  return page(
    'Log in · vigil',
    `<h1>vigil</h1>${message}<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form>`,
  );
}

/** The start page: who is logged in and where the APIs are. The UI app replaces it once built. */
export function homePage(user: string, version: string, csrfToken: string | undefined): string {
  const logout =
    csrfToken === undefined
      ? ''
      : `<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="${escapeHtml(csrfToken)}"><button type="submit">Log out</button></form>`;
  return page(
    'vigil',
    `<h1>vigil ${escapeHtml(version)}</h1><p>Logged in as <strong>${escapeHtml(user)}</strong>.</p>
<ul><li><a href="/metrics">/metrics</a> — vigil's own metrics</li>
<li><a href="/api/v1/status/config">/api/v1/status/config</a> — the running configuration</li>
<li><a href="/api/v1/status/flags">/api/v1/status/flags</a> — command-line flags</li>
<li><a href="/api/v1/status/buildinfo">/api/v1/status/buildinfo</a> — build information</li></ul>${logout}`,
  );
}

/** A safe redirect target: a path on this server, never another host. */
export function safeNext(next: string | null | undefined): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}
