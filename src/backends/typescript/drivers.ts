/**
 * What each driver returns for each TiDB type, as data: one row per TiDB base type per driver
 * (`tsc` rejects a missing row). A row is a TypeScript type text, or a function of the column
 * type and the connection settings the models are generated for.
 */
import type { TidbBaseType, TidbType } from '../../ir/tidb.js';

export type Driver = 'mysql2' | 'tidb-serverless';

/** Connection settings that change what a driver returns. */
export interface DriverSettings {
  /** mysql2 `supportBigNumbers: true, bigNumberStrings: true`: BIGINT as string. */
  readonly bigNumberStrings: boolean;
  /** mysql2 `dateStrings: true`: DATE/DATETIME/TIMESTAMP as string. */
  readonly dateStrings: boolean;
  /** A typeCast/decoder turns BOOLEAN (TINYINT(1)) into boolean. */
  readonly tinyint1AsBoolean: boolean;
  /** mysql2 `decimalNumbers: true`: DECIMAL as number. */
  readonly decimalNumbers: boolean;
}

type TsType = string | ((t: TidbType, s: DriverSettings) => string);

export interface DriverProfile {
  /** Header lines citing where the conversions come from. */
  readonly source: readonly string[];
  /** Header line: the connection settings the types assume, to copy into the application. */
  readonly connection: (s: DriverSettings) => string;
  readonly types: Readonly<Record<TidbBaseType, TsType>>;
  /** Imports for the type names that are not global in every runtime the driver runs on. */
  readonly imports: Readonly<Record<string, string>>;
}

/** Marks where an ENUM column's literal union goes (the union is driver-independent). */
export const ENUM_UNION = '\0enum';
/** Marks where the JSON type goes (`JsonValue` or the user's `jsonType`). */
export const JSON_TYPE = '\0json';

const boolean = (_t: TidbType, s: DriverSettings): string => (s.tinyint1AsBoolean ? 'boolean' : 'number');

/*
 * mysql2 3.x, lib/parsers/text_parser.js (query) and binary_parser.js (execute), readCodeFor:
 * TINY/SHORT/LONG/INT24/YEAR -> number; LONGLONG -> string with supportBigNumbers+bigNumberStrings,
 * else number (the default, supportBigNumbers=false, loses digits past 2^53); FLOAT/DOUBLE ->
 * number; DECIMAL/NEWDECIMAL -> string unless decimalNumbers; DATE/DATETIME/TIMESTAMP -> Date
 * unless dateStrings; TIME -> string; JSON -> JSON.parse'd value; anything else with the binary
 * charset (BINARY, VARBINARY, BLOBs, BIT, and text declared CHARACTER SET binary) -> Buffer
 * (readLengthCodedBuffer), otherwise string. TiDB sends VECTOR as its own type code (0xe1), which
 * mysql2 does not know (its parseVector is for MySQL 9's 0xf2), so it arrives as string
 * (test/ts-runtime.test.ts reads every type back from tidb-server).
 * Buffer is Node's: models.ts imports it from 'node:buffer' rather than relying on the global.
 */
const mysql2Binary = 'Buffer';
const mysql2: DriverProfile = {
  source: ["Conversions per mysql2's row parsers (lib/parsers/text_parser.js, binary_parser.js): JSON parsed;", "binary types and BIT as Node's Buffer (from 'node:buffer')."],
  // bigNumberStrings does nothing without supportBigNumbers; supportBigNumbers alone gives number | string.
  connection: (s) =>
    `Connect with { supportBigNumbers: ${s.bigNumberStrings}, bigNumberStrings: ${s.bigNumberStrings}, dateStrings: ${s.dateStrings}, decimalNumbers: ${s.decimalNumbers} }` +
    (s.tinyint1AsBoolean ? ' and a typeCast that returns TINYINT(1) as boolean.' : '.'),
  types: {
    TINYINT: 'number',
    SMALLINT: 'number',
    INT: 'number',
    YEAR: 'number',
    FLOAT: 'number',
    DOUBLE: 'number',
    BOOLEAN: boolean,
    BIGINT: (_t, s) => (s.bigNumberStrings ? 'string' : 'number'),
    DECIMAL: (_t, s) => (s.decimalNumbers ? 'number' : 'string'),
    CHAR: textOr(mysql2Binary),
    VARCHAR: textOr(mysql2Binary),
    TEXT: textOr(mysql2Binary),
    MEDIUMTEXT: textOr(mysql2Binary),
    LONGTEXT: textOr(mysql2Binary),
    BINARY: mysql2Binary,
    VARBINARY: mysql2Binary,
    BLOB: mysql2Binary,
    MEDIUMBLOB: mysql2Binary,
    LONGBLOB: mysql2Binary,
    BIT: mysql2Binary,
    JSON: JSON_TYPE,
    DATE: dateOrString,
    DATETIME: dateOrString,
    TIMESTAMP: dateOrString,
    TIME: 'string',
    VECTOR: 'string',
    ENUM: ENUM_UNION,
  },
  imports: { Buffer: "import type { Buffer } from 'node:buffer';" },
};

/*
 * @tidbcloud/serverless 0.3.0, src/decode.ts `cast` (dist/index.js), with its default decoders;
 * matches "Data type mapping" in https://docs.pingcap.com/tidbcloud/serverless-driver:
 * TINYINT, SMALLINT, MEDIUMINT, INT (signed or unsigned), YEAR -> parseInt -> number; FLOAT,
 * DOUBLE -> number; BIGINT, UNSIGNED BIGINT, DECIMAL -> string; CHAR, VARCHAR, TEXT types, ENUM,
 * SET -> string; BINARY, VARBINARY, BLOB types, BIT -> hexToUint8Array -> Uint8Array; DATE, TIME,
 * DATETIME, TIMESTAMP -> string; JSON -> JSON.parse; others (VECTOR) -> the raw string. Text
 * declared CHARACTER SET binary is a BINARY/VARBINARY/BLOB column in TiDB, so Uint8Array too.
 * It has no bigNumberStrings/dateStrings/decimalNumbers options; a decoder replaces a type's
 * conversion for every column of that type (so a TINYINT decoder for booleans applies to all
 * TINYINT columns). Only web-standard types: it runs on edge runtimes without Node.
 */
// hexToUint8Array builds `new Uint8Array(n)`: backed by an ArrayBuffer, which is what web APIs
// taking a BufferSource (Response bodies, crypto.subtle) require since TypeScript 5.7's generic typed arrays.
const serverlessBinary = 'Uint8Array<ArrayBuffer>';
const tidbServerless: DriverProfile = {
  source: [
    'Conversions per @tidbcloud/serverless (src/decode.ts, its default decoders) and the "Data type mapping" of',
    'https://docs.pingcap.com/tidbcloud/serverless-driver: binary types and BIT as Uint8Array<ArrayBuffer>',
    '(TypeScript 5.7+); BIGINT, DECIMAL and dates as string; JSON parsed. Web-standard types only, no Node types.',
  ],
  connection: (s) => (s.tinyint1AsBoolean ? 'Connect with the default decoders plus a TINYINT decoder that returns boolean.' : 'Connect with the default decoders.'),
  types: {
    // A BOOLEAN arrives typed "TINYINT", so a boolean decoder is a TINYINT decoder: it converts both.
    TINYINT: boolean,
    SMALLINT: 'number',
    INT: 'number',
    YEAR: 'number',
    FLOAT: 'number',
    DOUBLE: 'number',
    BOOLEAN: boolean,
    BIGINT: 'string',
    DECIMAL: 'string',
    CHAR: textOr(serverlessBinary),
    VARCHAR: textOr(serverlessBinary),
    TEXT: textOr(serverlessBinary),
    MEDIUMTEXT: textOr(serverlessBinary),
    LONGTEXT: textOr(serverlessBinary),
    BINARY: serverlessBinary,
    VARBINARY: serverlessBinary,
    BLOB: serverlessBinary,
    MEDIUMBLOB: serverlessBinary,
    LONGBLOB: serverlessBinary,
    BIT: serverlessBinary,
    JSON: JSON_TYPE,
    DATE: 'string',
    DATETIME: 'string',
    TIMESTAMP: 'string',
    TIME: 'string',
    VECTOR: 'string',
    ENUM: ENUM_UNION,
  },
  imports: {},
};

export const DRIVERS: Readonly<Record<Driver, DriverProfile>> = { mysql2, 'tidb-serverless': tidbServerless };

function textOr(binary: string): TsType {
  return (t) => (t.charset === 'binary' ? binary : 'string');
}

function dateOrString(_t: TidbType, s: DriverSettings): string {
  return s.dateStrings ? 'string' : 'Date';
}

/** The type text a driver returns for `t` (ENUM_UNION / JSON_TYPE still to be filled in). */
export function driverType(driver: Driver, t: TidbType, s: DriverSettings): string {
  const row = DRIVERS[driver].types[t.base];
  return typeof row === 'string' ? row : row(t, s);
}
