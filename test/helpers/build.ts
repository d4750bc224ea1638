// dist/ as the CLI and the package entry points load it. The test commands build first; a test
// file run on its own builds here, but only when some file under src/ is newer than dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const marker = join(ROOT, 'dist', 'index.js');
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  // tsc rewrites every output, so dist/index.js is as new as the build.
  if (built >= newestMtime(join(ROOT, 'src'))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
}
