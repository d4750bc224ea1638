// What the sakila and pagila view tests share: sakila's seven views, the lists in them that have no
// defined order, and how one view is read from each engine and compared.
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import type pg from 'pg';
import { compareViewRows, viewCellKind, type UnorderedList, type ViewColumn, type ViewComparison, type ViewRows } from '../../src/testing/index.js';

export const VIEWS = ['actor_info', 'customer_list', 'film_list', 'nicer_but_slower_film_list', 'sales_by_film_category', 'sales_by_store', 'staff_list'];

/**
 * actor_info's film_info: 'Category: title, title, Category: title' with ', ' at both levels. Each
 * category's titles are a list of their own (the subquery's group_concat, no order either), so a
 * part starting 'Name: ' opens a group; titles are sorted in their group, then the groups.
 */
function categoryLists(text: string): string {
  const groups: string[][] = [];
  for (const part of text.split(', ')) {
    const head = /^([^:]+): (.*)$/.exec(part);
    if (head || groups.length === 0) groups.push(head ? [`${head[1]}:`, head[2]!] : [part]);
    else groups[groups.length - 1]!.push(part);
  }
  return groups.map(([name, ...titles]) => `${name} ${titles.sort().join(', ')}`).sort().join(', ');
}

/** Columns holding a `group_concat` list (separator ', ') in no defined order. */
export const UNORDERED: Readonly<Record<string, Readonly<Record<string, UnorderedList>>>> = {
  actor_info: { film_info: categoryLists },
  film_list: { actors: ', ' },
  nicer_but_slower_film_list: { actors: ', ' },
};

/** actor_info's longest film_info is longer than TiDB's default group_concat_max_len (1024 bytes). */
export const GROUP_CONCAT_MAX_LEN = 1 << 20;

/** A view statement of tidb.sql (CREATE [OR REPLACE] [ALGORITHM ...] [DEFINER ...] [SQL SECURITY ...] VIEW `db`.`name`): the name. */
export const VIEW_STATEMENT = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?VIEW\s+(?:`[^`]+`\.)?`?([^`\s(]+)`?/i;

async function pgView(client: pg.Client, name: string): Promise<{ columns: ViewColumn[]; rows: ViewRows }> {
  const res = await client.query({ text: `SELECT * FROM public.${name}`, rowMode: 'array' });
  const columns = res.fields.map((f) => ({ name: f.name, kind: viewCellKind(f.dataTypeID) }));
  return { columns, rows: { columns: columns.map((c) => c.name), rows: res.rows } };
}

async function tidbView(conn: Connection, name: string): Promise<ViewRows> {
  const [rows, fields] = await conn.query<RowDataPacket[]>({
    sql: `SELECT * FROM \`${name}\``,
    rowsAsArray: true,
    // JSON as its text, not parsed by mysql2.
    typeCast: (field, next) => (field.type === 'JSON' ? field.string() : next()),
  });
  return { columns: (fields as FieldPacket[]).map((f) => f.name), rows: rows as unknown as unknown[][] };
}

/** PostgreSQL's view `pgName` against TiDB's `tidbName`, as multisets of canonical rows (sakila's unordered lists sorted). */
export async function compareView(client: pg.Client, conn: Connection, pgName: string, tidbName = pgName): Promise<ViewComparison> {
  const pgSide = await pgView(client, pgName);
  return compareViewRows(pgSide.columns, pgSide.rows, await tidbView(conn, tidbName), { unorderedLists: UNORDERED[pgName] ?? {} });
}
