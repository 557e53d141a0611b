#!/usr/bin/env node
// The `vigil` command: runs the compiled CLI from dist/ (built by `npm run build`; `npm start` builds first).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('vigil: not built yet: run `npm run build` first (`npm start` builds by itself)\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exit(await main(process.argv.slice(2)));
