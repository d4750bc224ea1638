/**
 * TypeScript model types for the TiDB schema: per table a row type (what the driver returns)
 * and an insert type, or, in `kysely` style, Kysely table interfaces and a `DB` interface.
 * Prints the TiDB IR only; the JS type of each TiDB type is the driver's conversion (drivers.ts).
 * Written with code-block-writer, the writer ts-morph prints with (indentation-safe, string speed).
 */
import CodeBlockWriter from 'code-block-writer';
import type { TidbColumn, TidbSchema, TidbTable, TidbType, TidbView } from '../../ir/tidb.js';
import { DRIVERS, ENUM_UNION, JSON_TYPE, driverType, type Driver, type DriverSettings } from './drivers.js';

export interface TypeScriptOptions {
  driver: Driver;
  style: 'plain' | 'kysely';
  /** mysql2 `supportBigNumbers: true, bigNumberStrings: true`: BIGINT as string. */
  bigNumberStrings: boolean;
  /** mysql2 `dateStrings: true`: DATE/DATETIME/TIMESTAMP as string. */
  dateStrings: boolean;
  /** A typeCast/decoder turns BOOLEAN (TINYINT(1)) into boolean. */
  tinyint1AsBoolean: boolean;
  /** Type used for JSON columns instead of the emitted `JsonValue`. */
  jsonType?: string;
  /** mysql2 `decimalNumbers: true`: DECIMAL as number (default: string, as mysql2 returns it). */
  decimalNumbers?: boolean;
  sourceName: string;
  /** Named in the header when given; pg2tidb's own outputs leave it out, so an upgrade that changes nothing changes no file. */
  generatorVersion?: string;
  optionsSummary: string;
}

const GLOBAL_NAMES = ['JsonValue', 'DB', 'Buffer', 'Date', 'Uint8Array', 'ArrayBuffer', 'ColumnType', 'Generated', 'Array', 'Record', 'Object'];

/** PascalCase ASCII identifier from arbitrary SQL names (deterministic). */
export function pascalCase(...names: string[]): string {
  const words = names
    .join(' ')
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter((w) => w.length > 0);
  let s = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (s === '') s = 'Table';
  if (/^[0-9]/.test(s)) s = 'T' + s;
  return s;
}

function jsString(s: string): string {
  // JSON string syntax is valid TS string syntax; escape the line separators for older tools.
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function docText(s: string): string[] {
  return s
    .replace(/\*\//g, '*\\/')
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((l) => l.trimEnd());
}

function writeDoc(w: CodeBlockWriter, lines: string[]): void {
  if (lines.length === 0) return;
  if (lines.length === 1) {
    w.writeLine(`/** ${lines[0]} */`);
    return;
  }
  w.writeLine('/**');
  for (const l of lines) w.writeLine(l ? ` * ${l}` : ' *');
  w.writeLine(' */');
}

function typeLabel(t: TidbType): string {
  let s: string = t.base;
  if (t.length !== undefined) s += `(${t.length})`;
  else if (t.precision !== undefined) s += `(${t.precision}${t.scale !== undefined ? `,${t.scale}` : ''})`;
  else if (t.fsp !== undefined && t.fsp > 0) s += `(${t.fsp})`;
  if (t.unsigned) s += ' UNSIGNED';
  return s;
}

function settingsOf(o: TypeScriptOptions): DriverSettings {
  return { bigNumberStrings: o.bigNumberStrings, dateStrings: o.dateStrings, tinyint1AsBoolean: o.tinyint1AsBoolean, decimalNumbers: o.decimalNumbers ?? false };
}

function baseTsType(t: TidbType, o: TypeScriptOptions, jsonType: string): string {
  const ty = driverType(o.driver, t, settingsOf(o));
  if (ty === JSON_TYPE) return jsonType;
  if (ty === ENUM_UNION) return t.values?.length ? t.values.map(jsString).join(' | ') : 'string';
  return ty;
}

function rowType(c: TidbColumn, o: TypeScriptOptions, jsonType: string): string {
  const base = baseTsType(c.type, o, jsonType);
  return c.nullable ? `${base} | null` : base;
}

/** Optional on insert: the database fills it in. */
function hasDefault(c: TidbColumn): boolean {
  return c.default !== undefined || c.autoIncrement === true || c.autoRandom !== undefined || c.nullable;
}

function columnDoc(c: TidbColumn): string[] {
  const lines: string[] = [];
  if (c.comment !== undefined) lines.push(...docText(c.comment));
  const facts = [typeLabel(c.type)];
  if (c.autoIncrement) facts.push('AUTO_INCREMENT');
  if (c.autoRandom) facts.push('AUTO_RANDOM');
  if (c.generated) facts.push(c.generated.stored ? 'generated (stored)' : 'generated (virtual)');
  if (c.origin.pgType) facts.push(`from PostgreSQL ${c.origin.pgType}`);
  lines.push(...docText(`\`${facts.join(', ')}\``));
  return lines;
}

/** A view's columns with the types the transform inferred from its select list (undefined: not inferable). */
interface ViewColumn {
  name: string;
  type: TidbType | undefined;
  orType: TidbType | undefined;
  nullable: boolean;
}

function viewColumns(v: TidbView): ViewColumn[] {
  return v.columns.map((name, i) => ({ name, type: v.columnTypes?.[i]?.type, orType: v.columnTypes?.[i]?.orType, nullable: v.columnTypes?.[i]?.nullable ?? true }));
}

function viewColumnType(c: ViewColumn, o: TypeScriptOptions, jsonType: string): string {
  if (!c.type) return 'unknown';
  const types = [...new Set([c.type, ...(c.orType ? [c.orType] : [])].map((t) => baseTsType(t, o, jsonType)))];
  if (c.nullable) types.push('null');
  return types.join(' | ');
}

function viewColumnDoc(c: ViewColumn): string[] {
  if (!c.type) return ["not inferable from the view's query: `unknown` until you narrow it"];
  return docText(`\`${typeLabel(c.type)}${c.orType ? ` (${typeLabel(c.orType)} if TiDB computes it)` : ''}\``);
}

export function emitTypeScript(schema: TidbSchema, options: TypeScriptOptions): string {
  const w = new CodeBlockWriter({ indentNumberOfSpaces: 2, useSingleQuote: true, newLine: '\n' });
  const jsonType = options.jsonType ?? 'JsonValue';
  const views = schema.views ?? [];
  const viewTypes = views.flatMap((v) => viewColumns(v).flatMap((c) => [...(c.type ? [c.type] : []), ...(c.orType ? [c.orType] : [])]));
  const usesJson = !options.jsonType && (schema.tables.some((t) => t.columns.some((c) => c.type.base === 'JSON')) || viewTypes.some((t) => t.base === 'JSON'));
  const kysely = options.style === 'kysely';

  const driverOpts =
    options.driver === 'mysql2'
      ? `bigNumberStrings=${options.bigNumberStrings}, dateStrings=${options.dateStrings}, ` +
        `tinyint1AsBoolean=${options.tinyint1AsBoolean}, decimalNumbers=${options.decimalNumbers ?? false}`
      : `tinyint1AsBoolean=${options.tinyint1AsBoolean}`;
  writeDoc(w, [
    ...docText(`Generated by pg2tidb${options.generatorVersion ? ` ${options.generatorVersion}` : ''} from ${options.sourceName}. Do not edit.`),
    ...docText(`Types as driver=${options.driver} returns them (${driverOpts}); style=${options.style}.`),
    ...docText(`Options: ${options.optionsSummary}`),
  ]);
  const profile = DRIVERS[options.driver];
  for (const line of profile.source) w.writeLine(`// ${line}`);
  w.writeLine(`// ${profile.connection(settingsOf(options))}`);
  w.blankLine();

  // Types that are not global where the driver runs (Node's Buffer) are imported, never assumed.
  const imports = DRIVERS[options.driver].imports;
  const rowTypes = new Set([...schema.tables.flatMap((t) => t.columns.map((c) => c.type)), ...viewTypes].map((t) => baseTsType(t, options, jsonType)));
  const needed = Object.keys(imports)
    .sort()
    .filter((name) => rowTypes.has(name));
  for (const name of needed) w.writeLine(imports[name]!);
  if (needed.length && !kysely) w.blankLine();

  if (kysely) {
    const cols = schema.tables.flatMap((t) => t.columns);
    const used = [
      ...(cols.some((c) => c.generated) || views.length > 0 ? ['ColumnType'] : []),
      ...(cols.some((c) => !c.generated && (c.default !== undefined || c.autoIncrement || c.autoRandom)) ? ['Generated'] : []),
    ];
    if (used.length) w.writeLine(`import type { ${used.join(', ')} } from 'kysely';`);
    if (used.length || needed.length) w.blankLine();
  }
  if (usesJson) {
    w.writeLine('export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };');
    w.blankLine();
  }

  // Type names: PascalCase(database, table), made unique in IR order.
  const taken = new Set(GLOBAL_NAMES);
  const names = new Map<TidbTable, string>();
  const suffixes = kysely ? ['Table'] : ['', 'Insert'];
  for (const t of schema.tables) {
    const base = pascalCase(t.name.database, t.name.name);
    let name = base;
    for (let n = 2; suffixes.some((s) => taken.has(name + s)); n++) name = `${base}${n}`;
    for (const s of suffixes) taken.add(name + s);
    names.set(t, name);
  }

  for (const t of schema.tables) {
    const name = names.get(t)!;
    const tableDoc = [
      ...docText(`\`${t.name.database}\`.\`${t.name.name}\` (from ${t.source})`),
      ...(t.comment !== undefined ? docText(t.comment) : []),
    ];
    if (kysely) {
      writeDoc(w, tableDoc);
      w.write(`export interface ${name}Table `).inlineBlock(() => {
        for (const c of t.columns) {
          const row = rowType(c, options, jsonType);
          let ty: string;
          if (c.generated) ty = `ColumnType<${row}, never, never>`;
          else if (c.default !== undefined || c.autoIncrement || c.autoRandom) ty = `Generated<${row}>`;
          else ty = row;
          writeDoc(w, columnDoc(c));
          w.writeLine(`${jsString(c.name)}: ${ty};`);
        }
      });
      w.blankLine();
    } else {
      writeDoc(w, [...tableDoc, 'A row as the driver returns it.']);
      w.write(`export interface ${name} `).inlineBlock(() => {
        for (const c of t.columns) {
          writeDoc(w, columnDoc(c));
          w.writeLine(`${jsString(c.name)}: ${rowType(c, options, jsonType)};`);
        }
      });
      w.blankLine();
      writeDoc(w, [
        ...docText(`Values for an INSERT into \`${t.name.database}\`.\`${t.name.name}\`.`),
        'Columns the database fills in are optional; generated columns are left out.',
      ]);
      w.write(`export interface ${name}Insert `).inlineBlock(() => {
        for (const c of t.columns) {
          if (c.generated) continue;
          w.writeLine(`${jsString(c.name)}${hasDefault(c) ? '?' : ''}: ${rowType(c, options, jsonType)};`);
        }
      });
      w.blankLine();
    }
  }

  // Views: read-only row types, named after the tables' (kysely: `...View`, every column selectable only).
  const viewNames = new Map<TidbView, string>();
  const viewSuffix = kysely ? 'View' : '';
  for (const v of views) {
    const base = pascalCase(v.name.database, v.name.name);
    let name = base;
    for (let n = 2; taken.has(name + viewSuffix); n++) name = `${base}${n}`;
    taken.add(name + viewSuffix);
    viewNames.set(v, name + viewSuffix);
  }
  for (const v of views) {
    writeDoc(w, [...docText(`\`${v.name.database}\`.\`${v.name.name}\` (view)`), kysely ? 'Selectable only: a view takes no INSERT or UPDATE here.' : 'A row of the view as the driver returns it (read-only).']);
    w.write(`export interface ${viewNames.get(v)!} `).inlineBlock(() => {
      for (const c of viewColumns(v)) {
        const row = viewColumnType(c, options, jsonType);
        writeDoc(w, viewColumnDoc(c));
        w.writeLine(kysely ? `${jsString(c.name)}: ColumnType<${row}, never, never>;` : `readonly ${jsString(c.name)}: ${row};`);
      }
    });
    w.blankLine();
  }

  if (kysely) {
    writeDoc(w, [`The database as Kysely sees it: \`new Kysely<DB>(...)\`; tables${views.length > 0 ? ' and views' : ''} are keyed "database.table".`]);
    w.write('export interface DB ').inlineBlock(() => {
      for (const t of schema.tables) w.writeLine(`${jsString(`${t.name.database}.${t.name.name}`)}: ${names.get(t)!}Table;`);
      for (const v of views) w.writeLine(`${jsString(`${v.name.database}.${v.name.name}`)}: ${viewNames.get(v)!};`);
    });
    w.blankLine();
  }
  if (schema.tables.length === 0 && views.length === 0 && !kysely) w.writeLine('export {};');
  return w.toString().replace(/\n+$/, '\n');
}
