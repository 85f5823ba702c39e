/**
 * Loads a module of the built package (dist/) with the type of its source. The benchmark
 * measures the code users run, so it never runs a second compilation of src/: the string path
 * keeps TypeScript from resolving the import, and the cast gives back the source's types.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.js';

export async function loadBuilt<T>(relativeToDist: string): Promise<T> {
  return (await import(pathToFileURL(path.join(PROJECT_ROOT, 'dist', relativeToDist)).href)) as T;
}
