export { createApiToken, tokenNameProblem } from './auth/api-tokens.ts';
export type { Principal } from './auth/authenticator.ts';
export { hashPassword, randomPassword, verifyPassword } from './auth/password.ts';
export { HttpError, ListenError } from './errors.ts';
export type { AppControl } from './routes/control.ts';
export type { BuildInfo } from './routes/status.ts';
export type { VigilServerOptions } from './server.ts';
export { VigilServer } from './server.ts';
