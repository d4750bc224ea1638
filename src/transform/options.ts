import { checkDiagnosticLevels, compileOverrides, OverrideError, type DiagnosticLevel, type TypeOverride } from './overrides.js';

/** Every decision the user can make about a translation. Defaults follow tidb.md and the migration design. */
export interface TranslateOptions {
  /** UUID storage: CHAR(36) text (readable) or BINARY(16) (compact, PingCAP's advice). */
  readonly uuid: 'char36' | 'binary16';
  /** timestamptz as DATETIME(6) holding UTC (no 2038 limit) or TIMESTAMP(6) (session time zone, 1970..2038). */
  readonly timestamptz: 'datetime' | 'timestamp';
  /** Database collation; utf8mb4_unicode_ci per the migration design. */
  readonly collation: string;
  /** AUTO_RANDOM instead of AUTO_INCREMENT for BIGINT primary keys. */
  readonly autoRandom: boolean;
  /** Warnings fail the run (exit 1). */
  readonly strict: boolean;
  /** VARCHAR length chosen for unbounded text that must be a key or carry a literal default. */
  readonly textKeyLength: number;
  /** PostgreSQL schema -> TiDB database names; unmapped schemas keep their name. */
  readonly databaseMap: Readonly<Record<string, string>>;
  /** Element length of CHAR(n) ARRAY in multi-valued indexes over text arrays. */
  readonly arrayIndexCharLength: number;
  /**
   * Ordered type-mapping overrides (see src/transform/overrides.ts); the first rule that matches a
   * column applies. Absent: built-in rules only.
   */
  readonly typeOverrides?: readonly TypeOverride[];
  /** Diagnostic levels by id (or code): `off` drops it, otherwise it becomes that severity. */
  readonly diagnosticLevels?: Readonly<Record<string, DiagnosticLevel>>;
  /** Target TiDB version (e.g. "8.5.3"); gates features by version (features.ts). Absent: 8.5.0. */
  readonly tidbVersion?: string;
  /** Target is TiDB Cloud Starter/Essential (8.5.3-based kernel, fixed config; features.ts says what it has). */
  readonly cloudStarter?: boolean;
}

export type { DiagnosticLevel };

export const DEFAULT_OPTIONS: TranslateOptions = {
  uuid: 'char36',
  timestamptz: 'datetime',
  collation: 'utf8mb4_unicode_ci',
  autoRandom: false,
  strict: false,
  textKeyLength: 255,
  databaseMap: {},
  arrayIndexCharLength: 64,
};

/** Collations TiDB v8.5 supports for utf8mb4 (tidb.md §5.9). */
export const UTF8MB4_COLLATIONS = ['utf8mb4_bin', 'utf8mb4_general_ci', 'utf8mb4_unicode_ci', 'utf8mb4_0900_ai_ci', 'utf8mb4_0900_bin'] as const;

export function resolveOptions(partial: Partial<TranslateOptions> = {}): TranslateOptions {
  const options = { ...DEFAULT_OPTIONS, ...stripUndefined(partial) };
  if (options.uuid !== 'char36' && options.uuid !== 'binary16') throw new OptionError(`--uuid must be char36 or binary16, not "${String(options.uuid)}"`);
  if (options.timestamptz !== 'datetime' && options.timestamptz !== 'timestamp') throw new OptionError(`--timestamptz must be datetime or timestamp, not "${String(options.timestamptz)}"`);
  if (!(UTF8MB4_COLLATIONS as readonly string[]).includes(options.collation)) {
    throw new OptionError(`--collation must be one of ${UTF8MB4_COLLATIONS.join(', ')}, not "${options.collation}"`);
  }
  if (!Number.isInteger(options.textKeyLength) || options.textKeyLength < 1 || options.textKeyLength > 768) {
    throw new OptionError(`textKeyLength must be an integer from 1 to 768 (768 x 4 bytes = the 3072-byte key limit), not ${options.textKeyLength}`);
  }
  if (options.tidbVersion !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(options.tidbVersion)) throw new OptionError(`tidbVersion must look like "8.5.3", not "${options.tidbVersion}"`);
  try {
    compileOverrides(options.typeOverrides, 'typeOverrides');
    if (options.diagnosticLevels !== undefined) checkDiagnosticLevels(options.diagnosticLevels, 'diagnosticLevels');
  } catch (e) {
    if (e instanceof OverrideError) throw new OptionError(e.message);
    throw e;
  }
  return options;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class OptionError extends Error {}

/** Collation facts that decide which keys change meaning (tidb.md §5.9). */
export const COLLATION_TRAITS: Record<string, { caseInsensitive: boolean; padSpace: boolean }> = {
  utf8mb4_bin: { caseInsensitive: false, padSpace: true },
  utf8mb4_general_ci: { caseInsensitive: true, padSpace: true },
  utf8mb4_unicode_ci: { caseInsensitive: true, padSpace: true },
  utf8mb4_0900_ai_ci: { caseInsensitive: true, padSpace: false },
  utf8mb4_0900_bin: { caseInsensitive: false, padSpace: false },
};
