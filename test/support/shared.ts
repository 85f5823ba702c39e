/** Reads files from `../shared/` beside the project, where they are (never copied in). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedRoot = path.resolve(projectRoot, '../shared');

/** The exact bytes of a shared fixture, e.g. `sharedFixture('cirrus/build.json')`. */
export function sharedFixture(relativePath: string): Buffer {
  return readFileSync(path.join(sharedRoot, 'fixtures', relativePath));
}

export function sharedFile(relativePath: string): string {
  return readFileSync(path.join(sharedRoot, relativePath), 'utf8');
}
