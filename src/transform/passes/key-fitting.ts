import type { TidbIndex, TidbKeyPart, TidbTable } from '../../ir/tidb.js';
import { key, type TransformContext } from '../context.js';
import { fitKey, type KeyPartInput, type KeyToFit } from '../indexes.js';
import { mapTables, type Stage } from './stage.js';

/**
 * Key fitting: every index lowering left is fitted under 3072 bytes here, once, after foreign-key
 * alignment has settled the column types, so a reported prefix is the prefix that is emitted (fitting
 * before alignment reported prefixes a narrowed column no longer needs, and left prefixes longer
 * than the column: error 1089).
 */
export function fitKeys(stage: Stage, ctx: TransformContext): Stage {
  return mapTables(stage, (b) => {
    const keys = stage.keysToFit.get(key(b.source.name));
    return keys ? fitIndexes(ctx, b.table, keys) : b.table;
  });
}

function fitIndexes(ctx: TransformContext, table: TidbTable, keys: ReadonlyMap<string, KeyToFit>): TidbTable {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  let changed = false;
  const indexes = table.indexes.flatMap((index): TidbIndex[] => {
    const fit = keys.get(index.name);
    const input = fit && !index.multiValued ? keyInput(index.parts, fit, byName) : undefined;
    if (!fit || !input) return [index];
    const fitted = fitKey(input);
    if (!fitted) {
      ctx.diagnostics.add('index-key-too-long', { detail: `${fit.label}: key is longer than 3072 bytes and cannot be shortened; index dropped` }, fit.at);
      changed = true;
      return [];
    }
    const parts = fitted.parts.map((f, i) => ('expr' in index.parts[i]! ? index.parts[i]! : f));
    if (fitted.prefixed) {
      const uniqueness = fit.unique ? ', so uniqueness now applies to the prefixes only' : '';
      // A prefix on a column aligned with its parent: the alignment made the key too long.
      const aligned = parts.some((p) => 'column' in p && p.length !== undefined && byName.get(p.column)!.origin.rule.endsWith('->fk-aligned'));
      const detail = aligned
        ? `index ${index.name} of ${table.source}: a column widened to match its foreign-key parent makes the key longer than 3072 bytes; indexed on column prefixes${uniqueness}`
        : `${fit.label}: key is longer than 3072 bytes; indexed on column prefixes${uniqueness}`;
      ctx.diagnostics.add('index-key-too-long', { detail }, fit.at);
    }
    if (JSON.stringify(parts) === JSON.stringify(index.parts)) return [index];
    changed = true;
    return [{ ...index, parts }];
  });
  return changed ? { ...table, indexes } : table;
}

/** The index's parts as fitKey takes them; undefined when a part is neither a known column nor a typed expression. */
function keyInput(parts: readonly TidbKeyPart[], fit: KeyToFit, byName: ReadonlyMap<string, TidbTable['columns'][number]>): KeyPartInput[] | undefined {
  const input: KeyPartInput[] = [];
  for (const [i, p] of parts.entries()) {
    if ('expr' in p) {
      const type = fit.expressionTypes[i];
      if (!type) return undefined;
      input.push({ column: `\u0000expr${i}`, type, fixed: true });
      continue;
    }
    const col = byName.get(p.column);
    if (!col) return undefined;
    input.push({ column: p.column, type: col.type, ...(p.length !== undefined ? { prefix: p.length } : {}), ...(col.origin.lengthChosen ? { chosen: true } : {}) });
  }
  return input;
}
