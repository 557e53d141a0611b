/** Runs the real `vigil` command (bin/vigil.js over dist/) as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

/** Fails clearly when the build is missing (npm test builds before running tests). */
export function requireBuild(): void {
  if (!existsSync(new URL('../../dist/cli/main.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  }
}

export interface Vigil {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as received. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs` or at exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export function runVigil(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Vigil {
  const env = { ...process.env, ...options.env };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v === undefined) delete env[k];
  const stdin = options.input === undefined ? 'ignore' : 'pipe';
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env, stdio: [stdin, 'pipe', 'pipe'] });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
      for (const l of listeners) l();
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    child,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            cleanup();
            resolve(m);
          } else if (done) {
            cleanup();
            reject(new Error(`vigil exited before printing ${pattern}; output:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs a short command to completion. */
export async function runToEnd(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<{ code: number | string; output: string; stdout: string }> {
  const v = runVigil(args, options);
  let stdout = '';
  v.child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const code = await v.exited;
  return { code, output: v.output(), stdout };
}

/** The URL in vigil's ready line. */
export async function readyUrl(v: Vigil): Promise<string> {
  const m = await v.waitFor(/is ready at (https?:\/\/[^\s"]+)/);
  return m[1] as string;
}
