/**
 * Builds dist/ once before the tests, so tests that run `buildbell` as a real process (kill -9,
 * signals, the desktop end-to-end test) run the code under test, not a stale build. Type errors
 * are the type check's business (`npm run typecheck`); here only a missing output fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Stops any PostgreSQL server a crashed test of this run left running (test/support/postgres.ts). */
async function teardown(): Promise<void> {
  const { stopServersOfRun } = await import('./support/postgres.js');
  stopServersOfRun(process.pid);
}

export default function setup(): () => Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('building dist/ failed: run npm run build to see why');
  return teardown;
}
