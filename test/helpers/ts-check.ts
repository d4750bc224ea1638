/**
 * Type-checks TypeScript files in-process with ts-morph's Project on an in-memory file system,
 * with the compiler options and ambient types of the runtime a driver runs on:
 * - `node` (mysql2): lib ES2022 plus @types/node and mysql2's own typings (copied from this repo's node_modules).
 * - `edge` (@tidbcloud/serverless on Cloudflare Workers, Vercel Edge, Deno): lib ES2022 + DOM,
 *   bundler resolution, and no @types/node anywhere on the file system, so any Node type fails.
 * One Project per runtime is kept and its source files are replaced per check: the lib and
 * @types/node files stay parsed, so a check costs the user files only.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts, type CompilerOptions } from 'ts-morph';

export type TsRuntime = 'node' | 'edge';

const STRICT: CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noUnusedLocals: true,
  skipLibCheck: true,
};

const RUNTIMES: Record<TsRuntime, CompilerOptions> = {
  node: {
    ...STRICT,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: ['/node_modules/@types'],
  },
  edge: {
    ...STRICT,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  },
};

/** Type declarations each runtime's virtual node_modules holds: Node's and mysql2's (with its one typed dependency) on node, none on edge. */
const PACKAGES: Record<TsRuntime, string[]> = { node: ['@types/node', 'undici-types', 'mysql2', 'sql-escaper'], edge: [] };

const projects = new Map<TsRuntime, Project>();

function copyPackage(project: Project, repo: string, name: string): void {
  const fs = project.getFileSystem();
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(repo, 'node_modules', name, rel))) {
      const relPath = rel ? `${rel}/${entry}` : entry;
      const full = join(repo, 'node_modules', name, relPath);
      if (statSync(full).isDirectory()) walk(relPath);
      else if (entry === 'package.json' || entry.endsWith('.d.ts')) fs.writeFileSync(`/node_modules/${name}/${relPath}`, readFileSync(full, 'utf8'));
    }
  };
  walk('');
}

function projectFor(runtime: TsRuntime, repo: string): Project {
  let p = projects.get(runtime);
  if (!p) {
    p = new Project({ useInMemoryFileSystem: true, compilerOptions: RUNTIMES[runtime] });
    for (const name of PACKAGES[runtime]) copyPackage(p, repo, name);
    projects.set(runtime, p);
  }
  return p;
}

/**
 * Diagnostics of `files` (name -> text, placed in /src/) as tsc prints them
 * (`models.ts(3,5): error TS2304: ...`), one per line; '' when clean.
 */
export function typecheckInProcess(files: Record<string, string>, runtime: TsRuntime, repo: string): string {
  const project = projectFor(runtime, repo);
  for (const f of project.getSourceFiles('/src/**')) project.removeSourceFile(f);
  const added = Object.entries(files).map(([name, text]) => project.createSourceFile(`/src/${name}`, text, { overwrite: true }));
  const diagnostics = project.getPreEmitDiagnostics().map((d) => d.compilerObject);
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => '/src',
    getNewLine: () => '\n',
  };
  const out = ts.formatDiagnostics(diagnostics, host).trimEnd();
  for (const f of added) project.removeSourceFile(f);
  return out;
}
