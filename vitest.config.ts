import { defineConfig } from 'vitest/config';
import { CORPUS_TESTS, ORACLE_TESTS } from './test/setup/tiers.js';

// Three tiers. `unit` needs no oracle at all (no TiDB parser or server, no PostgreSQL, no Python)
// and reads no corpus file: `npm run test:unit`, the fast feedback loop. `corpus` needs no oracle
// either but translates the real inputs of ../shared/corpus whole. `oracles` holds every file that
// needs an oracle; only it starts tidb-server (one per run, shared by its files). Which file is
// which: test/setup/tiers.ts. `vitest run` runs all three in that order, so a plain mistake fails
// before the oracle tests start.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        // Two files at a time even on two cores: much of the tier waits on child processes (the CLI, tsc).
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...ORACLE_TESTS, ...CORPUS_TESTS], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'corpus', include: [...CORPUS_TESTS], maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'oracles', include: [...ORACLE_TESTS], globalSetup: ['./test/setup/tidb-server.global.ts'], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
