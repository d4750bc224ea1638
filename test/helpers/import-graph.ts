// The import graph of src/ (TypeScript's own import scanner, type-only imports included: a type
// import couples layers as much as a value import) and the checks run over it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import ts from 'typescript';

/** File (repo-relative, `/`-separated) -> the repo files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export interface LayerRule {
  /** Files under this prefix ... */
  readonly from: string;
  /** ... must not import files under these prefixes. */
  readonly forbidden: readonly string[];
  readonly why: string;
  /** `importer -> imported` prefixes allowed anyway, each with its reason in a comment where it is listed. */
  readonly except?: readonly string[];
}

export function importGraph(root: string, dir = 'src'): { graph: ImportGraph; unresolved: string[] } {
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  const files = readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => posix.join(dir, f.split('\\').join('/')))
    .sort();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue; // a package, not a layer
      const target = relative(root, join(root, dirname(file), fileName)).split('\\').join('/').replace(/\.js$/, '.ts');
      if (existsSync(join(root, target))) targets.push(target);
      else unresolved.push(`${file} imports ${fileName}`);
    }
    graph.set(file, [...new Set(targets)]);
  }
  return { graph, unresolved };
}

export function layerViolations(graph: ImportGraph, rules: readonly LayerRule[]): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    for (const rule of rules) {
      if (!file.startsWith(rule.from)) continue;
      for (const target of targets) {
        const banned = rule.forbidden.find((p) => target.startsWith(p));
        if (!banned) continue;
        const excused = rule.except?.some((e) => {
          const [a, b] = e.split(' -> ');
          return file.startsWith(a!) && target.startsWith(b!);
        });
        if (!excused) out.push(`${file} imports ${target}: ${rule.why}`);
      }
    }
  }
  return out;
}

/** Every import cycle (strongly connected component of more than one file, or a self-import), files sorted. */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) cycles.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}
