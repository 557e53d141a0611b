import type { ServerResponse } from 'node:http';
import { type Authenticator, clearSessionCookie, sessionCookie } from '../auth/authenticator.ts';
import { safeEqual } from '../auth/secrets.ts';
import { parseBody, sendData, sendText, stringField } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';
import { loginPage, safeNext } from './pages.ts';

const htmlHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};

function sendHtml(res: ServerResponse, html: string): void {
  for (const [k, v] of Object.entries(htmlHeaders)) res.setHeader(k, v);
  sendText(res, 200, html, 'text/html; charset=utf-8');
}

function redirect(res: ServerResponse, location: string, cookie?: string): void {
  res.writeHead(303, { Location: location, 'Content-Length': 0, ...(cookie ? { 'Set-Cookie': cookie } : {}) });
  res.end();
}

/** Login and logout for browsers (form posts) and scripts (JSON), and the session endpoint. */
export function sessionRoutes(auth: Authenticator): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/login',
      access: 'public',
      handle: ({ res, url }) =>
        sendHtml(res, loginPage(safeNext(url.searchParams.get('next')), url.searchParams.get('error'))),
    },
    {
      method: 'POST',
      pattern: '/login',
      access: 'public',
      maxBodyBytes: 16 * 1024,
      async handle(ctx) {
        const body = parseBody(ctx.req, await ctx.body());
        const next = safeNext(typeof body.next === 'string' ? body.next : '/');
        try {
          const { cookieValue } = await auth.login(
            String(body.username ?? ''),
            String(body.password ?? ''),
            ctx.clientIp,
          );
          redirect(ctx.res, next, sessionCookie(cookieValue, auth.sessionTtlMs, ctx.secure));
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          const reason = err.status === 429 ? 'locked' : 'credentials';
          redirect(ctx.res, `/login?error=${reason}&next=${encodeURIComponent(next)}`);
        }
      },
    },
    {
      method: 'POST',
      pattern: '/api/vigil/login',
      access: 'public',
      maxBodyBytes: 16 * 1024,
      async handle(ctx) {
        const body = parseBody(ctx.req, await ctx.body());
        const { principal, cookieValue } = await auth.login(
          stringField(body, 'username'),
          stringField(body, 'password'),
          ctx.clientIp,
        );
        sendData(ctx.res, describe(principal), 200, {
          'Set-Cookie': sessionCookie(cookieValue, auth.sessionTtlMs, ctx.secure),
        });
      },
    },
    {
      method: 'POST',
      pattern: '/api/vigil/logout',
      access: 'user',
      handle(ctx) {
        if (ctx.principal) auth.logout(ctx.principal);
        sendData(ctx.res, {}, 200, { 'Set-Cookie': clearSessionCookie(ctx.secure) });
      },
    },
    {
      // The start page's logout form: a plain form cannot send X-CSRF-Token, so the token comes as a field.
      method: 'POST',
      pattern: '/logout',
      access: 'public',
      maxBodyBytes: 4 * 1024,
      async handle(ctx) {
        const principal = await auth.authenticate(ctx.req, ctx.clientIp).catch(() => null);
        const body = parseBody(ctx.req, await ctx.body());
        if (
          principal?.session &&
          typeof body.csrf_token === 'string' &&
          safeEqual(body.csrf_token, principal.session.csrfToken)
        ) {
          auth.logout(principal);
        } else if (principal?.session) {
          throw new HttpError(403, 'forbidden', 'missing or invalid CSRF token');
        }
        redirect(ctx.res, '/login', clearSessionCookie(ctx.secure));
      },
    },
    {
      method: 'GET',
      pattern: '/api/vigil/session',
      access: 'user',
      handle: (ctx) => sendData(ctx.res, describe(ctx.principal)),
    },
  ];
}

function describe(p: Parameters<Authenticator['logout']>[0] | null) {
  if (p === null) return null;
  return {
    user: p.userName,
    role: p.role,
    method: p.method,
    csrfToken: p.session?.csrfToken ?? null,
    expiresAt: p.session ? new Date(p.session.expiresAt).toISOString() : null,
  };
}
