import { parseDurationMs } from '../../model/index.ts';
import { NameTakenError, type Store } from '../../store/index.ts';
import { createApiToken, tokenNameProblem } from '../auth/api-tokens.ts';
import { parseBody, sendData, stringField } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** API token management for admins: list, create (the secret is returned once), revoke. */
export function tokenRoutes(store: Store, now: () => number = Date.now): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/vigil/tokens',
      access: 'admin',
      handle: ({ res }) =>
        sendData(
          res,
          store.tokens.list().map((t) => ({
            id: t.id,
            name: t.name,
            user: t.userName,
            createdAt: iso(t.createdAt),
            expiresAt: iso(t.expiresAt),
            lastUsedAt: iso(t.lastUsedAt),
          })),
        ),
    },
    {
      method: 'POST',
      pattern: '/api/vigil/tokens',
      access: 'admin',
      maxBodyBytes: 4 * 1024,
      async handle(ctx) {
        const body = parseBody(ctx.req, await ctx.body());
        const name = stringField(body, 'name');
        const problem = tokenNameProblem(name);
        if (problem) throw new HttpError(400, 'bad_data', problem);
        let expiresAt: number | null = null;
        if (body.expires_in !== undefined) {
          const ms = typeof body.expires_in === 'string' ? parseDurationMs(body.expires_in) : undefined;
          if (ms === undefined || ms <= 0)
            throw new HttpError(400, 'bad_data', 'field "expires_in" must be a duration like 30d');
          expiresAt = now() + ms;
        }
        if (ctx.principal === null || ctx.principal.userId === 0) {
          throw new HttpError(400, 'bad_data', 'tokens belong to users; authentication is off');
        }
        try {
          const t = createApiToken(store, ctx.principal.userId, name, expiresAt);
          sendData(ctx.res, { id: t.id, name: t.name, token: t.secret, expiresAt: iso(t.expiresAt) }, 201);
        } catch (err) {
          if (err instanceof NameTakenError) throw new HttpError(409, 'bad_data', err.message);
          throw err;
        }
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/vigil/tokens/:id',
      access: 'admin',
      handle({ res, params }) {
        const raw = params.id as string;
        const revoked = store.tokens.revoke(/^\d+$/.test(raw) ? Number(raw) : raw);
        if (revoked === undefined) throw new HttpError(404, 'not_found', `no active token ${JSON.stringify(raw)}`);
        sendData(res, { id: revoked.id, name: revoked.name, revokedAt: iso(revoked.revokedAt) });
      },
    },
  ];
}
