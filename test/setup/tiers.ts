// Which test files need an oracle (TiDB parser, tidb-server, PostgreSQL, Python): they form the
// `oracles` vitest project. Files that need no oracle but translate the real inputs of
// ../shared/corpus whole form `corpus`; every other test file is `unit`, the fast tier.
// test/tiers.test.ts checks both lists against what each file uses, so a new oracle or corpus
// test cannot slip into the fast tier.
export const ORACLE_TESTS: readonly string[] = [
  'test/alembic-online.test.ts', // Python venv (Alembic) + tidb-server
  'test/catalog-live.test.ts', // PostgreSQL 15 (the live catalog, pg_dump)
  'test/catalog-conservation.test.ts', // PostgreSQL 15 + tidb-server
  'test/data-corpus.test.ts', // PostgreSQL 15 + tidb-server + TiDB parser
  'test/data-live.test.ts', // PostgreSQL 15 (the live source, pg_dump) + tidb-server
  'test/data-lightning.test.ts', // tidb-server + tidb-lightning (test/oracles/tidb-lightning/build.sh)
  'test/data-property.test.ts', // PostgreSQL 15 (pg_dump) + tidb-server
  'test/data-values.test.ts', // PostgreSQL 15 (COPY TO STDOUT)
  'test/differential/differential.test.ts', // PostgreSQL 15 + tidb-server
  'test/differential/views-pagila.test.ts', // PostgreSQL 15 + tidb-server
  'test/differential-views.test.ts', // PostgreSQL 15 + tidb-server
  'test/emitters-alembic.test.ts', // Python venv: ruff, py_compile, alembic --sql
  'test/pack-install.test.ts', // npm registry (installs the packed tarball)
  'test/generated-tidb.test.ts', // tidb-server
  'test/pg-implicit-names.test.ts', // PostgreSQL 15 (pg_constraint / pg_indexes names)
  'test/pg-source-tls.test.ts', // PostgreSQL 15 with TLS turned on for it (openssl makes the certificates)
  'test/properties.test.ts', // TiDB parser
  'test/property-cases.test.ts', // tidb-server
  'test/report-browser.test.ts', // headless Chromium (Debian's package)
  'test/sqlalchemy-judge.test.ts', // Python venv (SQLAlchemy)
  'test/sqlalchemy-rewrite.test.ts', // Python venv (SQLAlchemy)
  'test/sqlalchemy-runtime.test.ts', // Python venvs (SQLAlchemy, the real projects' packages) + TiDB parser
  'test/tidb-execute.test.ts', // tidb-server
  'test/views-execute.test.ts', // tidb-server: every translated view executes
  'test/tidb-parser-oracle.test.ts', // TiDB parser
  'test/tidb-parser-outputs.test.ts', // TiDB parser
  'test/tidb-server-smoke.test.ts', // tidb-server
  'test/trigger-patterns.test.ts', // PostgreSQL 15 + tidb-server
  'test/ts-runtime.test.ts', // tidb-server
  'test/value-roundtrip.test.ts', // PostgreSQL 15 + tidb-server
  'test/verify-canonical.test.ts', // tidb-server
  'test/verify.test.ts', // tidb-server
  'test/verify-tls.test.ts', // tidb-server of its own with TLS (openssl makes the certificates)
  'test/views-sakila.test.ts', // PostgreSQL 15 + tidb-server
];

/** Oracle-free files that read the real inputs of ../shared/corpus (whole projects and dumps). */
export const CORPUS_TESTS: readonly string[] = [
  'test/cli.test.ts', // the CLI on corpus files and folders
  'test/corpus.test.ts', // every corpus file: translates and conserves every object
  'test/data-workers-corpus.test.ts', // pg2tidb data on corpus dumps with 1, 2 and 3 worker threads
  'test/json-chunks.test.ts', // the streamed report.json of every corpus file
  'test/parse-workers.test.ts', // worker-thread parsing of every corpus statement
  'test/report-schema.test.ts', // every corpus report validates against its JSON Schema
  'test/sqlalchemy-static-cases.test.ts', // the real SQLAlchemy projects through the CLI
];

/** How a test file reads the corpus: the fixtures helper's CORPUS, or the folder itself. */
const CORPUS_USE = /\bCORPUS\b|shared\/corpus|corpusFiles/;

export function readsCorpus(source: string): boolean {
  return CORPUS_USE.test(source);
}

/** How a test file reaches an oracle: its helpers, or the setup scripts under test/oracles/. */
export const ORACLE_USES: readonly { readonly oracle: string; readonly pattern: RegExp }[] = [
  { oracle: 'TiDB parser', pattern: /helpers\/tidb-parser\.js/ },
  { oracle: 'tidb-server', pattern: /helpers\/tidb-server\.js|\binject\(/ },
  { oracle: 'Python, PostgreSQL or another oracle setup script', pattern: /['/]oracles['/]/ },
  { oracle: 'PostgreSQL 15', pattern: /helpers\/data-load\.js/ },
  { oracle: 'headless Chromium', pattern: /command -v chromium|\/usr\/bin\/chromium/ },
  { oracle: 'the npm registry', pattern: /'npm',\s*\['(?:pack|install)'/ },
];

export function oraclesUsedBy(source: string): string[] {
  return ORACLE_USES.filter((u) => u.pattern.test(source)).map((u) => u.oracle);
}
