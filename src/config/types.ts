import type { DiagnosticLevel } from '../transform/options.js';
import type { TypeOverride } from '../transform/overrides.js';

export const EMITTER_NAMES = ['tidb', 'alembic', 'sql-migrations', 'ts', 'report'] as const;

/**
 * pg2tidb.config.json / pg2tidb.config.ts: every CLI option, plus inputs, outputs, type overrides,
 * diagnostic levels and the TiDB target. Relative paths are relative to the config file.
 * Command-line flags win over the file.
 */
export interface Pg2tidbConfig {
  readonly $schema?: string;
  /** Files or folders (.sql, .py) to translate. */
  readonly inputs?: string | readonly string[];
  /** Output folder (`-o`). */
  readonly out?: string;
  readonly emit?: string | readonly (typeof EMITTER_NAMES)[number][];
  /** PostgreSQL schema or input folder -> TiDB database. */
  readonly databaseMap?: Readonly<Record<string, string>>;
  readonly uuid?: 'char36' | 'binary16';
  readonly timestamptz?: 'datetime' | 'timestamp';
  readonly collation?: string;
  readonly autoRandom?: boolean;
  readonly textKeyLength?: number;
  readonly arrayIndexCharLength?: number;
  readonly strict?: boolean;
  readonly format?: 'text' | 'json';
  readonly quiet?: boolean;
  /**
   * Runtime mode for .py inputs: this interpreter imports the models and SQLAlchemy describes their
   * MetaData (it runs the project's code). A path relative to the config file, or a command name.
   */
  readonly python?: string;
  readonly migrationsFormat?: 'golang-migrate' | 'flyway' | 'dbmate' | 'plain';
  readonly revision?: string;
  readonly downRevision?: string | null;
  readonly tsDriver?: 'mysql2' | 'tidb-serverless';
  readonly tsStyle?: 'plain' | 'kysely';
  readonly dateStrings?: boolean;
  readonly numberBigints?: boolean;
  readonly tinyint1Boolean?: boolean;
  /** Target TiDB version, e.g. "8.5.3" (default 8.5.0); features it lacks fall back (src/transform/features.ts). */
  readonly tidbVersion?: string;
  /** Target TiDB Cloud Starter/Essential (8.5.3-based kernel, fixed config); tidbVersion does not apply. */
  readonly cloudStarter?: boolean;
  /** Diagnostic levels by id or code: {"lossy-type": "error", "collation-equality": "off"}. */
  readonly diagnostics?: Readonly<Record<string, DiagnosticLevel>>;
  /** Ordered type-mapping rules; the first that matches a column applies. */
  readonly overrides?: readonly TypeOverride[];
}

/** Types a pg2tidb.config.ts: `export default defineConfig({ ... })`. */
export function defineConfig(config: Pg2tidbConfig): Pg2tidbConfig {
  return config;
}
