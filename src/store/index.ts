export { DataDirError, DataDirLockedError, describeErrno, NameTakenError, StoreOpenError } from './errors.ts';
export { DataDirLock } from './lock.ts';
export type { Migration } from './migrations.ts';
export type { StoredSecurityEvent } from './security-events.ts';
export type { Session } from './sessions.ts';
export type { StoreOptions } from './store.ts';
export { Store } from './store.ts';
export type { ApiToken } from './tokens.ts';
export type { Role, User } from './users.ts';
