/** One model file being rewritten: its tree, what it imports, the edits planned for it, and how they are applied. */
import type { Node, Tree } from 'web-tree-sitter';
import type { SourceFile } from '../../diagnostics/span.js';
import { getParser } from '../../frontends/sqlalchemy/python.js';
import { helperCode, type Helper } from './helpers.js';
import { applyEdits, lastName, namedKids, removeElements, type Edit } from './python.js';

/** Column-level SQLAlchemy constructs that are not the column's type. */
export const NOT_TYPES = new Set(['ForeignKey', 'Identity', 'Computed', 'Sequence', 'CheckConstraint', 'FetchedValue', 'DefaultClause']);

export interface ModuleInfo {
  /** Alias bound to `sqlalchemy.dialects.mysql`, if imported. */
  mysql?: string;
  /** Alias bound to the `sqlalchemy` package, if imported. */
  sqlalchemy?: string;
  /** End offset of the last top-level import (where new imports go). */
  importsEnd: number;
  /** Name bound to `sqlalchemy.orm.mapped_column`, if imported. */
  mappedColumn?: string;
  /** The module imports SQLModel (bare annotations become `Field(sa_type=...)`). */
  sqlmodel?: boolean;
  /** Name bound to `sqlalchemy.text` by `from sqlalchemy import text`, if any. */
  text?: string;
  /** Top-level names bound to calls of these constructors (`seq = Sequence(...)`). */
  nonTypeNames: Set<string>;
  /** Top-level names bound to a type that already has variants (`JSON().with_variant(...)`). */
  variantNames: Set<string>;
}

export interface RewriteOptions {
  readonly keepPostgresVariant: boolean;
}

/** Names the rewritten code uses: the `mysql` dialect module, the `sqlalchemy` package, `text`. */
export interface Ns {
  mysql: string;
  sa: string;
  text?: string;
}

export type Need = 'mysql' | 'sa' | 'orm' | 'postgresql';

export interface Module {
  readonly file: SourceFile;
  readonly text: string;
  readonly root: Node;
  readonly info: ModuleInfo;
  readonly ns: Ns;
  readonly edits: Edit[];
  readonly needs: Set<Need>;
  readonly helpers: Set<Helper>;
  /** Elements to remove, by container node id (removed together so the container stays valid). */
  readonly removals: Map<number, { container: Node; nodes: Set<number> }>;
  /** Statements to add after a table's definition, by offset. */
  readonly after: Map<number, { lead: string; indent: string; statements: string[] }>;
  /** Sites already rewritten (a mixin column or alias shared by several tables is rewritten once). */
  readonly done: Set<string>;
}

function importedNames(st: Node): { name?: string; alias?: string; aliased: boolean }[] {
  return st
    .childrenForFieldName('name')
    .filter((n): n is Node => !!n)
    .map((n) => {
      const aliased = n.type === 'aliased_import';
      const name = aliased ? n.childForFieldName('name')?.text : n.text;
      const alias = aliased ? n.childForFieldName('alias')?.text : n.text;
      return { ...(name ? { name } : {}), ...(alias ? { alias } : {}), aliased };
    });
}

function readImport(st: Node, info: ModuleInfo): void {
  for (const { name, alias, aliased } of importedNames(st)) {
    if (name === 'sqlalchemy' && alias) info.sqlalchemy = alias;
    if (name === 'sqlalchemy.dialects.mysql' && aliased && alias) info.mysql = alias;
  }
}

function readFromImport(st: Node, info: ModuleInfo): void {
  const mod = st.childForFieldName('module_name')?.text;
  if (mod === 'sqlmodel' || mod?.startsWith('sqlmodel.')) info.sqlmodel = true;
  for (const { name, alias } of importedNames(st)) {
    if (!alias) continue;
    if (mod === 'sqlalchemy.dialects' && name === 'mysql') info.mysql = alias;
    if (mod === 'sqlalchemy.orm' && name === 'mapped_column') info.mappedColumn = alias;
    if ((mod === 'sqlalchemy' || mod === 'sqlalchemy.sql' || mod === 'sqlalchemy.sql.expression') && name === 'text') info.text = alias;
  }
}

function readAssignment(st: Node, info: ModuleInfo): void {
  const a = namedKids(st)[0];
  if (a?.type !== 'assignment') return;
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  if (left?.type !== 'identifier' || right?.type !== 'call') return;
  if (NOT_TYPES.has(lastName(right.childForFieldName('function')))) info.nonTypeNames.add(left.text);
  if (right.text.includes('.with_variant(')) info.variantNames.add(left.text);
}

export function moduleInfo(root: Node): ModuleInfo {
  const info: ModuleInfo = { importsEnd: -1, nonTypeNames: new Set(), variantNames: new Set() };
  for (const st of namedKids(root)) {
    if (st.type === 'import_statement') {
      readImport(st, info);
      info.importsEnd = st.endIndex;
    } else if (st.type === 'import_from_statement' || st.type === 'future_import_statement') {
      readFromImport(st, info);
      info.importsEnd = st.endIndex;
    } else if (st.type === 'expression_statement') readAssignment(st, info);
  }
  return info;
}

export async function openModule(file: SourceFile): Promise<{ module: Module; tree: Tree } | undefined> {
  const tree = (await getParser()).parse(file.text);
  if (!tree) return undefined;
  const info = moduleInfo(tree.rootNode);
  const ns: Ns = { mysql: info.mysql ?? 'mysql', sa: info.sqlalchemy ?? 'sqlalchemy', ...(info.text ? { text: info.text } : {}) };
  const module: Module = { file, text: file.text, root: tree.rootNode, info, ns, edits: [], needs: new Set(), helpers: new Set(), removals: new Map(), after: new Map(), done: new Set() };
  return { module, tree };
}

/** Plans removing `node` from the tuple, list or argument list that holds it. */
export function removeFrom(m: Module, container: Node, node: Node): void {
  const entry = m.removals.get(container.id) ?? { container, nodes: new Set<number>() };
  entry.nodes.add(node.id);
  m.removals.set(container.id, entry);
}

/** Plans a statement after a table's definition (ending at `at`). */
export function addAfter(m: Module, at: number, lead: string, indent: string, statement: string): void {
  const entry = m.after.get(at) ?? { lead, indent, statements: [] };
  entry.statements.push(statement);
  m.after.set(at, entry);
}

function importLines(m: Module): string[] {
  const { needs, info, helpers } = m;
  const lines: string[] = [];
  if (needs.has('mysql') && !info.mysql) lines.push('from sqlalchemy.dialects import mysql');
  if ((needs.has('sa') || needs.has('orm') || needs.has('postgresql') || helpers.size > 0) && !info.sqlalchemy) lines.push('import sqlalchemy');
  if (needs.has('postgresql')) lines.push('import sqlalchemy.dialects.postgresql');
  if (helpers.size > 0) lines.push('import sqlalchemy.ext.compiler');
  if (needs.has('orm')) lines.push('import sqlalchemy.orm');
  return lines;
}

/** The module's text with every planned edit, import and helper applied. */
export async function finishModule(m: Module): Promise<string> {
  const edits = [...m.edits];
  for (const { container, nodes } of m.removals.values()) edits.push(...removeElements(container, nodes, m.text));
  for (const [at, { lead, indent, statements }] of m.after) edits.push({ start: at, end: at, text: `${lead}${statements.map((s) => indent + s).join('\n')}` });
  if (edits.length === 0 && m.helpers.size === 0) return m.text;
  const addition = importLines(m).join('\n') + helperCode(m.helpers, m.ns.sa);
  if (addition) edits.push(m.info.importsEnd >= 0 ? { start: m.info.importsEnd, end: m.info.importsEnd, text: `\n${addition}` } : { start: 0, end: 0, text: `${addition}\n` });
  return pruneImports(applyEdits(m.text, edits));
}

function usedNames(root: Node): Set<string> {
  const used = new Set<string>();
  const visit = (n: Node): void => {
    if (n.type === 'import_statement' || n.type === 'import_from_statement') return;
    if (n.type === 'identifier') used.add(n.text);
    for (const c of n.namedChildren) {
      if (!c) continue;
      // `x.UUID` and `f(UUID=...)` do not use a name UUID
      if (n.type === 'attribute' && c.equals(n.childForFieldName('attribute')!)) continue;
      if (n.type === 'keyword_argument' && c.equals(n.childForFieldName('name')!)) continue;
      visit(c);
    }
  };
  visit(root);
  return used;
}

/** Removes `postgresql` dialect imports that no code uses any more. */
async function pruneImports(text: string): Promise<string> {
  const tree = (await getParser()).parse(text);
  if (!tree) return text;
  try {
    const used = usedNames(tree.rootNode);
    const edits: Edit[] = [];
    for (const st of namedKids(tree.rootNode)) {
      if (st.type !== 'import_from_statement') continue;
      const mod = st.childForFieldName('module_name')?.text ?? '';
      const names = st.childrenForFieldName('name').filter((n): n is Node => !!n);
      const bound = (n: Node): string => (n.type === 'aliased_import' ? (n.childForFieldName('alias')?.text ?? '') : n.text);
      let removable: Node[];
      if (mod === 'sqlalchemy.dialects.postgresql') removable = names.filter((n) => !used.has(bound(n)));
      else if (mod === 'sqlalchemy.dialects') removable = names.filter((n) => (n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text) === 'postgresql' && !used.has(bound(n)));
      else continue;
      if (removable.length === 0) continue;
      if (removable.length === names.length) {
        let end = st.endIndex;
        if (text[end] === '\n') end++;
        edits.push({ start: st.startIndex, end, text: '' });
        continue;
      }
      const keep = names.filter((n) => !removable.includes(n)).map((n) => n.text);
      edits.push({ start: names[0]!.startIndex, end: names[names.length - 1]!.endIndex, text: keep.join(', ') });
    }
    return applyEdits(text, edits);
  } finally {
    tree.delete();
  }
}
