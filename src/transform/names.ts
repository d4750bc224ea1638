import { createHash } from 'node:crypto';
import type { SourceSpan } from '../diagnostics/span.js';
import type { QualifiedName } from '../ir/types.js';
import type { RenameReason, RenameSite } from './renames.js';
import { TIDB_LIMITS } from './limits.js';

/** tidb.md §3.1 / §5.8: identifiers are at most 64 characters. */
export const MAX_IDENTIFIER = TIDB_LIMITS.identifier;

/** Shortens a name deterministically: a readable head plus a hash of the whole name. */
export function shortenIdentifier(name: string, max: number = MAX_IDENTIFIER): string {
  const chars = [...name];
  // Measured: TiDB rejects some 64-character names of more than 64 bytes; names we make stay within both.
  if (chars.length <= max && Buffer.byteLength(name, 'utf8') <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let head = '';
  for (const ch of chars) {
    if (Buffer.byteLength(head + ch, 'utf8') > max - 9) break;
    head += ch;
  }
  return `${head}_${hash}`;
}

/** Hands out names unique under TiDB's case-insensitive comparison, within one scope. */
export class NameScope {
  private readonly used = new Set<string>();

  private readonly reserved: ReadonlySet<string>;

  /**
   * With a `site`, every name this scope changes is reported (`identifier-renamed`) and listed in the rename map.
   * `reserved` names are never handed out (e.g. an index named `primary`, error 1280).
   */
  constructor(private readonly site?: RenameSite, reserved: readonly string[] = []) {
    this.reserved = new Set(reserved.map((r) => r.toLowerCase()));
  }

  has(name: string): boolean {
    return this.used.has(name.toLowerCase()) || this.reserved.has(name.toLowerCase());
  }

  /**
   * Reserves `name`, shortened when too long and with a numeric suffix when it is taken; `at` says
   * which table (for database-wide scopes) and where in the source, for the report.
   */
  claim(name: string, at: { readonly table?: string; readonly sourceTable?: QualifiedName; readonly span?: SourceSpan | undefined; readonly max?: number; readonly reason?: RenameReason } = {}): string {
    const { max = MAX_IDENTIFIER, reason, ...where } = at;
    let candidate = shortenIdentifier(name, max);
    let collided = false;
    const isReserved = this.reserved.has(candidate.toLowerCase());
    for (let n = 2; this.has(candidate); n++) {
      collided = true;
      const suffix = `_${n}`;
      candidate = shortenIdentifier(name.length + suffix.length > max ? [...name].slice(0, max - suffix.length).join('') + suffix : name + suffix, max);
    }
    this.used.add(candidate.toLowerCase());
    const shortened = [...name].length > MAX_IDENTIFIER || Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER;
    if (this.site && candidate !== name) this.site.log.site({ ...this.site, ...where }, name, candidate, isReserved ? 'reserved' : collided ? 'collision' : shortened || !reason ? 'too-long' : reason);
    return candidate;
  }
}
