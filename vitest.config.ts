import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The checks against ../shared (real payloads, the real Cirrus schema) are
    // `npm run test:conformance`: npm test reads only files in the repository.
    exclude: ['test/conformance/**', 'node_modules/**'],
    globalSetup: ['test/globalSetup.ts'],
    // The default summary says only "N skipped"; this names each skipped test and its reason.
    reporters: ['default', './test/support/skippedTestsReporter.ts'],
    // Integration tests start real servers and child processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
