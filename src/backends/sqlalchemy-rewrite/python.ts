/** Tree-sitter and text helpers for editing Python model files in place. */
import type { Node } from 'web-tree-sitter';
import type { SourceSpan } from '../../diagnostics/span.js';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** A Python string literal. */
export const py = (s: string): string => JSON.stringify(s);

/** A Python string literal for `text(...)` / `Computed(...)`: `:name` escaped so SQLAlchemy does not read it as a bind parameter. */
export function pySql(sql: string): string {
  return py(sql.replace(/(?<![:\\]):(?=[\w$])/g, '\\:'));
}

export function lastName(n: Node | null | undefined): string {
  if (!n) return '';
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') return n.childForFieldName('attribute')?.text ?? '';
  return '';
}

export function namedKids(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** The callee's last name when `n` is a call (`Index` for `sa.Index(...)`). */
export function callName(n: Node | null | undefined): string {
  return n?.type === 'call' ? lastName(n.childForFieldName('function')) : '';
}

export function keyword(args: Node, name: string): Node | undefined {
  return namedKids(args).find((k) => k.type === 'keyword_argument' && k.childForFieldName('name')?.text === name);
}

/** The node exactly at a span (the largest one when several share the range). */
export function nodeAt(root: Node, span: SourceSpan): Node | undefined {
  let n: Node | null = root.descendantForIndex(span.offset, span.offset + span.length);
  let found: Node | undefined;
  while (n) {
    if (n.startIndex === span.offset && n.endIndex === span.offset + span.length) found = n;
    else if (found) break;
    n = n.parent;
  }
  return found;
}

export const spanKey = (s: SourceSpan | undefined): string => (s ? `${s.file}@${s.offset}+${s.length}` : '');

/** The indentation of the line `offset` is on. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** True when only whitespace precedes `node` on its line. */
export function startsLine(text: string, node: Node): boolean {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  return text.slice(lineStart, node.startIndex).trim() === '';
}

/** Containers whose elements can be removed one by one. */
export const CONTAINERS = new Set(['tuple', 'list', 'argument_list']);

/**
 * Edits that remove `drop` (named children of a tuple, list or argument list) and keep the rest
 * valid: runs before a kept element go with their trailing commas, a run at the end with the
 * comma before it, and a tuple left with one element keeps a comma so it stays a tuple.
 */
export function removeElements(container: Node, drop: ReadonlySet<number>, text: string): Edit[] {
  const kids = namedKids(container);
  const kept = kids.filter((k) => !drop.has(k.id));
  if (kept.length === 0) {
    const open = container.child(0)!;
    const close = container.child(container.childCount - 1)!;
    return [{ start: open.endIndex, end: close.startIndex, text: '' }];
  }
  const edits: Edit[] = [];
  for (let i = 0; i < kids.length; i++) {
    if (!drop.has(kids[i]!.id)) continue;
    let j = i;
    while (j + 1 < kids.length && drop.has(kids[j + 1]!.id)) j++;
    if (j + 1 < kids.length) edits.push({ start: kids[i]!.startIndex, end: kids[j + 1]!.startIndex, text: '' });
    else edits.push({ start: kids[i - 1]!.endIndex, end: kids[j]!.endIndex, text: '' });
    i = j;
  }
  if (container.type === 'tuple' && kept.length === 1) {
    const k = kept[0]!;
    const tail = edits.find((e) => e.start === k.endIndex);
    if (!text.slice(tail ? tail.end : k.endIndex).trimStart().startsWith(',')) edits.push({ start: k.endIndex, end: k.endIndex, text: ',' });
  }
  return edits;
}

/** Applies edits from the end; an edit overlapping one already applied is skipped. Insertions at one offset keep their order. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.end > floor) continue;
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    floor = e.start;
  }
  return out;
}
