/** Where things are, for code that runs from the compiled cache (node_modules/.cache/buildbell-bench/bench/...). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  // The first folder upwards that holds both package.json and bin/buildbell.js.
  while (!(existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'bin', 'buildbell.js')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the buildbell project root above the benchmark code');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot();
export const BUILDBELL_BIN = path.join(PROJECT_ROOT, 'bin', 'buildbell.js');
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');
/** The compiled bench/ folder (this file's parent's parent). */
export const BENCH_BUILD_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The compiled worker script `name` (bench/workers/<name>.ts). */
export function workerScript(name: string): string {
  return path.join(BENCH_BUILD_DIR, 'workers', `${name}.js`);
}
