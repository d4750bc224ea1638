import { createHash } from 'node:crypto';
import type { SourceSpan } from '../diagnostics/span.js';
import type { QualifiedName } from '../ir/types.js';
import type { RenameSite } from './renames.js';

/** tidb.md §3.1 / §5.8: identifiers are at most 64 characters. */
export const MAX_IDENTIFIER = 64;

/** Shortens a name deterministically: a readable head plus a hash of the whole name. */
export function shortenIdentifier(name: string): string {
  const chars = [...name];
  // Measured: TiDB rejects some 64-character names of more than 64 bytes; names we make stay within both.
  if (chars.length <= MAX_IDENTIFIER && Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let head = '';
  for (const ch of chars) {
    if (Buffer.byteLength(head + ch, 'utf8') > MAX_IDENTIFIER - 9) break;
    head += ch;
  }
  return `${head}_${hash}`;
}

/** Hands out names unique under TiDB's case-insensitive comparison, within one scope. */
export class NameScope {
  private readonly used = new Set<string>();

  /** With a `site`, every name this scope changes is reported (`identifier-renamed`) and listed in the rename map. */
  constructor(private readonly site?: RenameSite) {}

  has(name: string): boolean {
    return this.used.has(name.toLowerCase());
  }

  /**
   * Reserves `name`, shortened when too long and with a numeric suffix when it is taken; `at` says
   * which table (for database-wide scopes) and where in the source, for the report.
   */
  claim(name: string, at: { readonly table?: string; readonly sourceTable?: QualifiedName; readonly span?: SourceSpan | undefined } = {}): string {
    let candidate = shortenIdentifier(name);
    let collided = false;
    for (let n = 2; this.has(candidate); n++) {
      collided = true;
      const suffix = `_${n}`;
      candidate = shortenIdentifier(name.length + suffix.length > MAX_IDENTIFIER ? [...name].slice(0, MAX_IDENTIFIER - suffix.length).join('') + suffix : name + suffix);
    }
    this.used.add(candidate.toLowerCase());
    if (this.site && candidate !== name) this.site.log.site({ ...this.site, ...at }, name, candidate, collided ? 'collision' : 'too-long');
    return candidate;
  }
}
