import type { TidbName, TidbType } from '../../ir/tidb.js';
import type { PgAstNode } from '../../ir/schema.js';
import type { QualifiedName } from '../../ir/types.js';
import type { ViewEnv } from './env.js';
import { Untranslatable, type ViewNote } from './sql.js';
import { Walker } from './walker.js';

export type { ViewEnv } from './env.js';
export type { ViewNote } from './sql.js';

/** What `translateView` needs of a view: the IR `View` has it. */
export interface ViewInput {
  readonly name: QualifiedName;
  readonly select?: PgAstNode;
  /** The explicit column list, if the source gave one. */
  readonly columns?: readonly string[];
  /** Schemas unqualified names resolve through (default: public). */
  readonly searchPath?: readonly string[];
}

export interface ViewColumn {
  readonly name: string;
  readonly type?: TidbType;
  readonly nullable: boolean;
}

export type ViewTranslation =
  | {
      readonly ok: true;
      /** The TiDB SELECT. */
      readonly sql: string;
      readonly columns: readonly ViewColumn[];
      /** Tables and views it reads, TiDB names. */
      readonly dependencies: readonly TidbName[];
      readonly notes: readonly ViewNote[];
      /** Output names TiDB cannot take (`?column?`), renamed. */
      readonly renamed: readonly { readonly from: string; readonly to: string; readonly reason: 'unnamed' | 'invalid' }[];
    }
  | {
      readonly ok: false;
      readonly construct: string;
      readonly reason: string;
      /** File offset of the construct, or -1. */
      readonly location: number;
      /** The left-out view it reads, when that is the cause. */
      readonly dependency?: string;
    };

/**
 * Translates a view's SELECT into TiDB SQL: a pure function of the parse tree and the names and
 * types it can see (`env`), so the differential harness can call it on its own.
 */
export function translateView(view: ViewInput, env: ViewEnv): ViewTranslation {
  if (!view.select) return { ok: false, construct: 'query', reason: 'the input gave no parse tree for the query', location: -1 };
  const walker = new Walker(env, view.searchPath ?? ['public']);
  try {
    const sel = walker.select(view.select, undefined);
    const renamed: { from: string; to: string; reason: 'unnamed' | 'invalid' }[] = [];
    const explicit = view.columns ?? [];
    if (explicit.length > sel.columns.length) return { ok: false, construct: 'column list', reason: `it names ${explicit.length} columns and the query has ${sel.columns.length}`, location: -1 };
    const taken = new Set<string>();
    const columns = sel.columns.map((c, i) => {
      let name = explicit[i] ?? c.source;
      if (name === '?column?') {
        let n = i + 1;
        while (taken.has(`column${n}`.toLowerCase()) || sel.columns.some((k) => k.source === `column${n}`)) n++;
        renamed.push({ from: name, to: `column${n}`, reason: 'unnamed' });
        name = `column${n}`;
      } else if (/\s$/.test(name) && name.trim() !== '') {
        // TiDB rejects a name ending in a space (error 1166), as for table columns (rename.ts).
        let to = name.trimEnd();
        for (let n = 2; taken.has(to.toLowerCase()) || sel.columns.some((k, j) => j !== i && k.source.toLowerCase() === to.toLowerCase()); n++) to = `${name.trimEnd()}_${n}`;
        renamed.push({ from: name, to, reason: 'invalid' });
        name = to;
      }
      taken.add(name.toLowerCase());
      return { name, ...(c.type ? { type: c.type } : {}), nullable: !c.notNull };
    });
    return { ok: true, sql: sel.sql, columns, dependencies: [...walker.dependencies.values()], notes: walker.notes, renamed };
  } catch (e) {
    if (!(e instanceof Untranslatable)) throw e;
    return { ok: false, construct: e.construct, reason: e.reason, location: e.location, ...(e.dependency ? { dependency: e.dependency } : {}) };
  }
}
