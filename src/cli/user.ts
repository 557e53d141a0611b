import { createInterface } from 'node:readline';
import { hashPassword } from '../server/index.ts';
import { NameTakenError, type Role } from '../store/index.ts';
import { UsageError } from './errors.ts';
import { openStore } from './token.ts';

const minPasswordLength = 8;

/** Reads a password: the first line of stdin (piped), or typed at a prompt on a terminal. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('New password: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  if (line.length < minPasswordLength)
    throw new UsageError(`the password must be at least ${minPasswordLength} characters long`);
  return line;
}

/** `vigil user add NAME`: creates a user with the password read from stdin. */
export async function userAdd(name: string, flags: { role: Role; dataDir: string }): Promise<number> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) {
    throw new UsageError(
      `user name ${JSON.stringify(name.slice(0, 80))} must be 1 to 64 letters, digits, ".", "_", "@" or "-"`,
    );
  }
  const password = await readPassword();
  const store = openStore(flags.dataDir);
  if (!store) return 1;
  try {
    store.users.create(name, await hashPassword(password), flags.role);
    process.stderr.write(`created user ${name} (${flags.role})\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof NameTakenError)) throw err;
    process.stderr.write(`vigil: ${err.message}\n`);
    return 1;
  } finally {
    store.close();
  }
}

/** `vigil user passwd NAME`: sets a new password (read from stdin) and ends that user's sessions. */
export async function userPasswd(name: string, flags: { dataDir: string }): Promise<number> {
  const password = await readPassword();
  const store = openStore(flags.dataDir);
  if (!store) return 1;
  try {
    const user = store.users.byName(name);
    if (!user) {
      process.stderr.write(`vigil: no user named ${JSON.stringify(name)}\n`);
      return 1;
    }
    store.users.setPasswordHash(user.id, await hashPassword(password));
    process.stderr.write(`changed the password of ${name}; their sessions have ended\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `vigil user list`. */
export function userList(flags: { dataDir: string }): number {
  const store = openStore(flags.dataDir);
  if (!store) return 1;
  try {
    process.stdout.write('NAME\tROLE\tCREATED\n');
    for (const u of store.users.list())
      process.stdout.write(`${u.name}\t${u.role}\t${new Date(u.createdAt).toISOString()}\n`);
    return 0;
  } finally {
    store.close();
  }
}
