// vitest globalSetup: ONE tidb-server per test run, shared by all test files.
// Tests get its address with inject('tidbHost') / inject('tidbPort'), or simply call
// freshDatabase(name) from test/helpers/tidb-server.ts.
// If the server cannot be built or started this throws (with the log tail): the run
// fails rather than silently skipping the oracle tests.
import type { TestProject } from 'vitest/node';
import { startTidbServer } from '../helpers/tidb-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['PG2TIDB_TIDB_PORT'];
  if (external) {
    const port = Number(external);
    if (!Number.isInteger(port) || port <= 0) throw new Error(`PG2TIDB_TIDB_PORT=${external} is not a port`);
    project.provide('tidbHost', process.env['PG2TIDB_TIDB_HOST'] || '127.0.0.1');
    project.provide('tidbPort', port);
    project.provide('tidbStatusPort', 0);
    return async () => {};
  }
  const server = await startTidbServer();
  process.stderr.write(
    `[tidb-server] ${server.host}:${server.port} (status ${server.statusPort}) ready in ${server.startMs} ms; log ${server.logFile}\n`,
  );
  project.provide('tidbHost', server.host);
  project.provide('tidbPort', server.port);
  project.provide('tidbStatusPort', server.statusPort);
  return async () => {
    await server.stop();
  };
}
