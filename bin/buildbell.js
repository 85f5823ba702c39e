#!/usr/bin/env node
// The installed command: runs the compiled CLI. `npm ci` builds dist/ through `prepare`.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (error) => {
    console.error(`buildbell: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
