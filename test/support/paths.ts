/** Where the project is, for tests that run its files or write beside them (test-results/). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, whatever the current directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
