import type { RequestContext } from './context.ts';

/** Who may call a route: anyone, any signed-in user, or admins. */
export type Access = 'public' | 'user' | 'admin';

export interface Route {
  readonly method: string;
  /** `/api/v1/status/config`, with `:name` for one path segment, or ending in `/*` for any rest. */
  readonly pattern: string;
  readonly access: Access;
  /** Largest body this route reads; overrides the server limit when set. */
  readonly maxBodyBytes?: number;
  handle(ctx: RequestContext): Promise<void> | void;
}

export interface Match {
  readonly route: Route;
  readonly params: Record<string, string>;
}

interface Compiled {
  readonly route: Route;
  readonly segments: readonly string[];
  readonly rest: boolean;
}

/**
 * Maps method and path to a route. Static segments beat parameters: routes are tried in order of
 * registration within the same specificity. `find` reports the allowed methods when only the method differs.
 */
export class Router {
  private readonly routes: Compiled[] = [];

  add(route: Route): void {
    const rest = route.pattern.endsWith('/*');
    const path = rest ? route.pattern.slice(0, -2) : route.pattern;
    this.routes.push({ route, segments: path.split('/').slice(1), rest });
    this.routes.sort((a, b) => specificity(b) - specificity(a));
  }

  find(method: string, path: string): Match | { allowed: string[] } | undefined {
    const parts = path.split('/').slice(1);
    const allowed: string[] = [];
    for (const c of this.routes) {
      const params = matchSegments(c, parts);
      if (params === undefined) continue;
      if (c.route.method === method || (method === 'HEAD' && c.route.method === 'GET'))
        return { route: c.route, params };
      allowed.push(c.route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function specificity(c: Compiled): number {
  return c.segments.filter((s) => !s.startsWith(':')).length * 2 + c.segments.length - (c.rest ? 100 : 0);
}

function matchSegments(c: Compiled, parts: readonly string[]): Record<string, string> | undefined {
  if (c.rest ? parts.length < c.segments.length : parts.length !== c.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < c.segments.length; i++) {
    const seg = c.segments[i] as string;
    const part = parts[i] as string;
    if (seg.startsWith(':')) {
      if (part === '') return undefined;
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (seg !== part) return undefined;
  }
  if (c.rest) params['*'] = parts.slice(c.segments.length).join('/');
  return params;
}
