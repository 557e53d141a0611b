import type { ApiToken, Store } from '../../store/index.ts';
import { newApiToken, secretHash } from './secrets.ts';

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why a token name is unacceptable, or undefined when it is fine. */
export function tokenNameProblem(name: string): string | undefined {
  return namePattern.test(name)
    ? undefined
    : `token name ${JSON.stringify(name.slice(0, 80))} must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`;
}

/**
 * Creates an API token for a user and returns it with the secret, which is shown this once and stored only
 * as a hash. Throws NameTakenError when an active token has the name; validate the name first.
 */
export function createApiToken(
  store: Store,
  userId: number,
  name: string,
  expiresAt: number | null,
): ApiToken & { secret: string } {
  const secret = newApiToken();
  const token = store.tokens.create(name, userId, secretHash(secret), expiresAt);
  return { ...token, secret };
}
