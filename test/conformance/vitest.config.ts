import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:conformance` (run.mjs): the checks against the real upstream payloads and the
 * real Cirrus schema. Kept out of `npm test` so a clone with nothing beside it passes that.
 */
export default defineConfig({
  // The project folder, whatever the current directory: include and globalSetup are relative to it.
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/conformance/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
