import { defineConfig } from 'vitest/config';
import { ORACLE_TESTS } from './test/setup/tiers.js';

// Two tiers. `unit` needs no oracle at all (no TiDB parser or server, no PostgreSQL, no Python):
// `npm run test:unit`. `oracles` holds every file that does; only it starts tidb-server (one per
// run, shared by its files). Which file is which: test/setup/tiers.ts. `vitest run` runs both,
// unit first, so a plain mistake fails before the oracle tests start.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        // Two files at a time even on two cores: much of the tier waits on child processes (the CLI, tsc).
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...ORACLE_TESTS], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'oracles', include: [...ORACLE_TESTS], globalSetup: ['./test/setup/tidb-server.global.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
