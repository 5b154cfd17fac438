import { defineConfig } from 'vitest/config';

/**
 * The fast loop (`npm run test:unit`): the pure `*.unit.test.ts` files only, without the global
 * setup, so no PostgreSQL is started or needed.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.unit.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
