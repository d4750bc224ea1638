/**
 * Many differential cases (./differential.ts) over a few lanes: each lane is one PostgreSQL
 * connection (to a database of the lane's own, cleared between cases: far cheaper than a
 * database per case) and one TiDB connection, reused for every case it runs; lanes run
 * concurrently, so one engine works while the other (or the translator) does. Cases are pulled
 * lazily, so a run of thousands generates each case only when a lane is free.
 */
import { runDifferential, type DifferentialEngines, type DifferentialOptions, type DifferentialReport } from './differential.js';

export interface DifferentialCase {
  readonly sql: string;
  readonly options?: DifferentialOptions;
}

export interface CaseOutcome<C extends DifferentialCase> {
  /** Position in `cases`. */
  readonly index: number;
  readonly case: C;
  readonly report?: DifferentialReport;
  /** What runDifferential threw (a SchemaRefused, or a driver error). */
  readonly error?: unknown;
  readonly ms: number;
}

export interface LaneOptions {
  /** TiDB databases of case i are `${prefix}${i}_${schema}` (default `pg2tidb_diff`), dropped after it. */
  readonly databasePrefix?: string;
}

const pgIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const myIdent = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/** Clears a lane's PostgreSQL database for the next case: every schema but the system ones, `public` afresh, session settings reset. */
export async function resetPostgres(pg: DifferentialEngines['pg']): Promise<void> {
  await pg('ROLLBACK').catch(() => undefined);
  const schemas = await pg("SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'");
  await pg(`${schemas.map(([n]) => `DROP SCHEMA ${pgIdent(n!)} CASCADE; `).join('')}CREATE SCHEMA public; RESET ALL`);
}

/** Drops the TiDB databases of one case (also those a schema refused halfway left behind). */
async function dropCase(tidb: DifferentialEngines['tidb'], prefix: string): Promise<void> {
  await tidb('ROLLBACK').catch(() => undefined);
  const like = `${prefix.replace(/[\\_%]/g, (c) => `\\${c}`)}\\_%`;
  const dbs = await tidb(`SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '${like.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`);
  if (dbs.length > 0) await tidb(['SET foreign_key_checks = 0', ...dbs.map((r) => `DROP DATABASE IF EXISTS ${myIdent(String(r[0]))}`), 'SET foreign_key_checks = 1'].join('; '));
}

const CONCURRENT_DDL = /Information schema is changed/;

function concurrentDdl(o: CaseOutcome<DifferentialCase>): boolean {
  if (o.error !== undefined) return CONCURRENT_DDL.test(o.error instanceof Error ? o.error.message : String(o.error));
  return o.report!.differences.some((d) => CONCURRENT_DDL.test(d.detail));
}

/**
 * Runs `cases` over `lanes` (one case per lane at a time), calling `onOutcome` as each finishes
 * (in completion order; `index` gives the case's place). `onOutcome` returning false stops the
 * run: lanes finish the case they hold and take no more.
 */
export async function runDifferentialLanes<C extends DifferentialCase>(cases: Iterable<C>, lanes: readonly DifferentialEngines[], onOutcome: (o: CaseOutcome<C>) => boolean | void, options: LaneOptions = {}): Promise<void> {
  const prefix = options.databasePrefix ?? 'pg2tidb_diff';
  const source = cases[Symbol.iterator]();
  let next = 0;
  let stopped = false;
  const lane = async (engines: DifferentialEngines) => {
    for (;;) {
      if (stopped) return;
      const item = source.next();
      if (item.done) return;
      const index = next++;
      const started = Date.now();
      const casePrefix = `${prefix}${index}`;
      let outcome: CaseOutcome<C> | undefined;
      // Another lane's DDL can make TiDB refuse a statement as a whole (8028, "try again later"): the case runs again.
      for (let attempt = 1; outcome === undefined || (attempt <= 4 && concurrentDdl(outcome)); attempt++) {
        await resetPostgres(engines.pg);
        try {
          const report = await runDifferential(item.value.sql, engines, { ...item.value.options, databasePrefix: casePrefix });
          outcome = { index, case: item.value, report, ms: Date.now() - started };
        } catch (error) {
          outcome = { index, case: item.value, error, ms: Date.now() - started };
        }
        await dropCase(engines.tidb, casePrefix);
      }
      if (onOutcome(outcome) === false) stopped = true;
    }
  };
  await Promise.all(lanes.map(lane));
}
