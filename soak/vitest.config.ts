import { defineConfig } from 'vitest/config';

/** The soak: the long forms of the reliability and hostile tests (see soak/run.mjs). */
export default defineConfig({
  test: {
    include: ['soak/**/*.soak.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
