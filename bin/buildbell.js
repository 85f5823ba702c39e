#!/usr/bin/env node
// The installed command: runs the compiled CLI. `npm ci` builds dist/ through `prepare`.
// The command's V8 settings come first, before its code is compiled (src/cli/runtimeTuning.ts).
import { tuneRuntimeFor } from '../dist/cli/runtimeTuning.js';

tuneRuntimeFor(process.argv[2]);
const { main } = await import('../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (error) => {
    console.error(`buildbell: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
