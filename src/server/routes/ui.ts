/**
 * The browser app built into `dist/ui` (see scripts/build-ui.mjs): `index.html` at each page path for signed-in
 * users (revalidated on every load, so a logged-out browser goes to the login page), and the content-hashed files
 * under `/assets/` with a year-long cache. Before the app is built, `/` shows the server-rendered start page.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendText } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';
import { escapeHtml, homePage } from './pages.ts';

/** The app's page paths (ui/pages/index.ts lists the same): each answers with index.html. */
export const uiPagePaths = ['/', '/graph', '/alerts', '/security', '/targets', '/status', '/containers/*'] as const;

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** One path segment made of safe characters: no `/`, `\`, `..` or leading dot can reach outside the directory. */
const assetName = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const appCsp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `dist/ui` from the compiled server (dist/server/routes) or from the sources run by tsx (src/server/routes). */
export function defaultUiDir(): string {
  const candidates = [
    fileURLToPath(new URL('../../ui', import.meta.url)),
    fileURLToPath(new URL('../../../dist/ui', import.meta.url)),
  ];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? (candidates[0] as string);
}

export interface UiRoutesOptions {
  /** The built app; resolved at each request so that a rebuild needs no restart. @default defaultUiDir() */
  dir?: () => string;
  version: string;
}

export function uiRoutes(options: UiRoutesOptions): Route[] {
  const dir = options.dir ?? defaultUiDir;
  const pages: Route[] = uiPagePaths.map((pattern) => ({
    method: 'GET',
    pattern,
    access: 'user',
    async handle(ctx) {
      let html: string;
      try {
        html = await readFile(join(dir(), 'index.html'), 'utf8');
      } catch {
        if (pattern !== '/') throw new HttpError(404, 'not_found', 'the web UI is not built: run npm run build');
        html = homePage(ctx.principal?.userName ?? '', options.version, ctx.principal?.session?.csrfToken);
        ctx.res.setHeader(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        );
        ctx.res.setHeader('Cache-Control', 'no-store');
        sendText(ctx.res, 200, html, 'text/html; charset=utf-8');
        return;
      }
      // Until the script runs (or without JavaScript), the page says who is logged in.
      const user = escapeHtml(ctx.principal?.userName ?? '');
      html = html.replace(
        '<!--boot-->',
        `<p>Logged in as <strong>${user}</strong>. Loading vigil…</p><noscript>vigil's web UI needs JavaScript.</noscript>`,
      );
      ctx.res.setHeader('Content-Security-Policy', appCsp);
      ctx.res.setHeader('Cache-Control', 'no-cache');
      ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
      sendText(ctx.res, 200, html, 'text/html; charset=utf-8');
    },
  }));
  const assets: Route = {
    method: 'GET',
    pattern: '/assets/:name',
    access: 'user',
    async handle({ res, params }) {
      const name = params.name ?? '';
      const type = contentTypes[extname(name)];
      if (!assetName.test(name) || type === undefined) throw new HttpError(404, 'not_found', 'no such asset');
      let body: Buffer;
      try {
        body = await readFile(join(dir(), 'assets', name));
      } catch {
        throw new HttpError(404, 'not_found', 'no such asset');
      }
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': body.length,
        'Cache-Control': 'private, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(body);
    },
  };
  return [...pages, assets];
}
