import type { IncomingMessage } from 'node:http';
import type { Counter } from 'prom-client';
import type { AuthConfig } from '../../config/index.ts';
import type { Role, Session, Store } from '../../store/index.ts';
import { HttpError } from '../errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { FailureLimiter } from './rate-limit.ts';
import { newRandomToken, secretHash } from './secrets.ts';

/** Who made a request, and how they proved it. */
export interface Principal {
  readonly userId: number;
  readonly userName: string;
  readonly role: Role;
  /** `none` when authentication is turned off (`server.auth: none`). */
  readonly method: 'session' | 'basic' | 'token' | 'none';
  /** Present for `session`: its CSRF token guards state-changing requests. */
  readonly session?: Session;
}

export interface AuthenticatorOptions {
  store: Store;
  config: AuthConfig;
  /** Counts failed attempts, by `method`. */
  failures: Counter<'method'>;
  now?: () => number;
}

/** The cookie that carries a browser session. */
export const sessionCookieName = 'vigil_session';

const basicCacheTtlMs = 5 * 60_000;
const basicCacheMax = 1000;
const touchEveryMs = 60_000;

/**
 * Authenticates requests by session cookie, HTTP basic auth or bearer API token, and logs users in.
 * Failed attempts are limited per client IP. Verified basic credentials are remembered for 5 minutes (keyed
 * by a SHA-256 of user and password, dropped when the password changes) so API clients such as Grafana do
 * not pay for scrypt on every request.
 */
export class Authenticator {
  private config: AuthConfig;
  private readonly limiter: FailureLimiter;
  private readonly basicCache = new Map<string, { userId: number; changedAt: number; until: number }>();
  private readonly lastTouch = new Map<number, number>();
  /** Tokens vigil issued to itself for this run only (the self-scrape), by SHA-256; never stored. */
  private readonly internalTokens = new Map<string, Principal>();
  private readonly now: () => number;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: AuthenticatorOptions) {
    this.config = options.config;
    this.now = options.now ?? Date.now;
    this.limiter = new FailureLimiter({
      maxFailures: this.config.max_login_failures,
      windowMs: this.config.login_failure_window,
      now: this.now,
    });
  }

  get enabled(): boolean {
    return this.config.mode === 'on';
  }

  get sessionTtlMs(): number {
    return this.config.session_ttl;
  }

  reload(config: AuthConfig): void {
    this.config = config;
    this.limiter.configure(config.max_login_failures, config.login_failure_window);
  }

  /** Whether `path` is served without authentication. */
  isPublic(path: string): boolean {
    return this.config.public_paths.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : p === path));
  }

  /**
   * The principal of a request, or null when it carries no credentials. Throws HttpError 400 for a malformed
   * Authorization header, 401 for wrong credentials, 429 when the client is locked out by failed attempts.
   */
  async authenticate(req: IncomingMessage, clientIp: string): Promise<Principal | null> {
    if (!this.enabled) return { userId: 0, userName: 'anonymous', role: 'admin', method: 'none' };
    const header = req.headers.authorization;
    if (header !== undefined) {
      const space = header.indexOf(' ');
      const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
      const value = space < 0 ? '' : header.slice(space + 1).trim();
      if (scheme === 'basic') return this.basic(value, clientIp);
      if (scheme === 'bearer') return this.bearer(value, clientIp);
      throw new HttpError(
        400,
        'bad_data',
        `unsupported Authorization scheme "${scheme.slice(0, 20)}": use Basic or Bearer`,
      );
    }
    const cookie = readCookie(req.headers.cookie, sessionCookieName);
    if (cookie === undefined) return null;
    const session = this.options.store.sessions.get(secretHash(cookie));
    const user = session && this.options.store.users.byId(session.userId);
    if (!session || !user) {
      throw unauthorized('session expired or invalid: log in again', { 'Set-Cookie': clearSessionCookie(false) });
    }
    return { userId: user.id, userName: user.name, role: user.role, method: 'session', session };
  }

  /** Checks a user's password and opens a session. Throws HttpError 401 or 429. */
  async login(
    name: string,
    password: string,
    clientIp: string,
  ): Promise<{ principal: Principal; cookieValue: string }> {
    this.checkLockout(clientIp);
    const user = await this.verifyUser(name, password);
    if (user === undefined) {
      this.recordFailure(clientIp, 'login');
      throw new HttpError(401, 'unauthorized', 'wrong user name or password');
    }
    this.limiter.reset(clientIp);
    const cookieValue = newRandomToken();
    const session = this.options.store.sessions.create(
      secretHash(cookieValue),
      user.id,
      newRandomToken(),
      this.config.session_ttl,
    );
    this.options.store.sessions.deleteExpired();
    return {
      principal: { userId: user.id, userName: user.name, role: user.role, method: 'session', session },
      cookieValue,
    };
  }

  logout(principal: Principal): void {
    if (principal.session) this.options.store.sessions.delete(principal.session.idHash);
  }

  private async basic(value: string, clientIp: string): Promise<Principal> {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : undefined;
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded === undefined || colon < 0) {
      throw new HttpError(
        400,
        'bad_data',
        'malformed Authorization header: Basic credentials must be base64 of user:password',
      );
    }
    const name = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = secretHash(`${name}\0${password}`).toString('base64');
    const cached = this.basicCache.get(key);
    if (cached !== undefined && cached.until > this.now()) {
      const user = this.options.store.users.byId(cached.userId);
      if (user !== undefined && user.passwordChangedAt === cached.changedAt) {
        return { userId: user.id, userName: user.name, role: user.role, method: 'basic' };
      }
      this.basicCache.delete(key);
    }
    this.checkLockout(clientIp);
    const user = await this.verifyUser(name, password);
    if (user === undefined) {
      this.recordFailure(clientIp, 'basic');
      throw unauthorized('wrong user name or password');
    }
    this.limiter.reset(clientIp);
    if (this.basicCache.size >= basicCacheMax) this.basicCache.clear();
    this.basicCache.set(key, {
      userId: user.id,
      changedAt: user.passwordChangedAt,
      until: this.now() + basicCacheTtlMs,
    });
    return { userId: user.id, userName: user.name, role: user.role, method: 'basic' };
  }

  /**
   * A bearer token that vigil gives one of its own modules (the self-scrape), valid until the process ends,
   * acting as a viewer named `name`. Kept only in memory, as a hash.
   */
  issueInternalToken(name: string): string {
    const secret = newRandomToken();
    this.internalTokens.set(secretHash(secret).toString('base64'), {
      userId: 0,
      userName: name,
      role: 'viewer',
      method: 'token',
    });
    return secret;
  }

  private bearer(value: string, clientIp: string): Principal {
    if (value === '' || /\s/.test(value)) {
      throw new HttpError(400, 'bad_data', 'malformed Authorization header: expected "Bearer <token>"');
    }
    const internal = this.internalTokens.get(secretHash(value).toString('base64'));
    if (internal !== undefined) return internal;
    this.checkLockout(clientIp);
    const token = this.options.store.tokens.active(secretHash(value));
    if (token === undefined) {
      this.recordFailure(clientIp, 'token');
      throw unauthorized('invalid, expired or revoked API token');
    }
    const t = this.now();
    if ((this.lastTouch.get(token.id) ?? 0) + touchEveryMs <= t) {
      this.lastTouch.set(token.id, t);
      this.options.store.tokens.touch(token.id);
    }
    return { userId: token.userId, userName: token.userName, role: token.role, method: 'token' };
  }

  private async verifyUser(name: string, password: string) {
    const user = this.options.store.users.byName(name);
    if (user === undefined) {
      // Spend the same time as for a real user, so response times do not tell which names exist.
      this.dummyHash ??= hashPassword(newRandomToken());
      await verifyPassword(password, await this.dummyHash);
      return undefined;
    }
    return (await verifyPassword(password, user.passwordHash)) ? user : undefined;
  }

  private checkLockout(clientIp: string): void {
    const wait = this.limiter.retryAfterMs(clientIp);
    if (wait > 0) {
      this.options.failures.inc({ method: 'locked_out' });
      throw new HttpError(
        429,
        'too_many_requests',
        'too many failed login attempts from this address; try again later',
        {
          'Retry-After': String(Math.ceil(wait / 1000)),
        },
      );
    }
  }

  private recordFailure(clientIp: string, method: string): void {
    this.limiter.fail(clientIp);
    this.options.failures.inc({ method });
  }
}

function unauthorized(message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(401, 'unauthorized', message, headers);
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for a new session: HttpOnly, SameSite=Strict, Secure when served over TLS. */
export function sessionCookie(value: string, ttlMs: number, secure: boolean): string {
  return `${sessionCookieName}=${value}; Path=/; Max-Age=${Math.floor(ttlMs / 1000)}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearSessionCookie(secure: boolean): string {
  return `${sessionCookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
