/** Starts a real App in this process on a free loopback port, with its own data directory. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../src/app.ts';
import { createLogger } from '../../src/log/index.ts';

export interface TestApp {
  app: App;
  /** `http://127.0.0.1:PORT` */
  base: string;
  dir: string;
  configFile: string | undefined;
  /** Every log line written so far (JSON). */
  logs: string[];
  /** Lines the app printed to the console (the generated password). */
  printed: string[];
  close(): Promise<void>;
}

export const adminPassword = 'correct horse battery';

/** Starts an app; `config` is written to `vigil.yml` in its directory when given. */
export async function startApp(
  options: { config?: string; env?: NodeJS.ProcessEnv; mode?: 'all' | 'collector' } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
  let configFile: string | undefined;
  if (options.config !== undefined) {
    configFile = join(dir, 'vigil.yml');
    writeFileSync(configFile, options.config);
  }
  const logs: string[] = [];
  const printed: string[] = [];
  const app = await App.start({
    configFile,
    dataDir: join(dir, 'data'),
    listen: '127.0.0.1:0',
    logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
    env: options.env ?? { VIGIL_ADMIN_PASSWORD: adminPassword },
    console: (t) => printed.push(t),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  });
  return {
    app,
    base: app.url(),
    dir,
    configFile,
    logs,
    printed,
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
