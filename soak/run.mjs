#!/usr/bin/env node
/**
 * `npm run soak` runs the long forms of issue #5's tests and prints their figures;
 * `npm run soak -- --quick` runs them smaller (under 5 minutes). Figures are written to
 * soak/results/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--quick');
if (unknown.length > 0) {
  console.error(`soak: unknown argument ${unknown[0]}; the only option is --quick`);
  process.exit(2);
}
const profile = args.includes('--quick') ? 'quick' : 'full';
console.log(`soak: ${profile} run`);
const run = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'soak/vitest.config.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SOAK_PROFILE: profile },
});
try {
  const results = JSON.parse(readFileSync(path.join(root, 'soak/results/latest.json'), 'utf8'));
  console.log('\nsoak figures (soak/results/latest.json):');
  console.log(JSON.stringify(results, null, 2));
} catch {
  console.error('soak: no figures were written');
}
process.exit(run.status ?? 1);
