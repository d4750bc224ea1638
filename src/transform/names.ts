import { createHash } from 'node:crypto';

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

  has(name: string): boolean {
    return this.used.has(name.toLowerCase());
  }

  /** Reserves `name`, adding a numeric suffix when it is taken. */
  claim(name: string): string {
    let candidate = shortenIdentifier(name);
    for (let n = 2; this.has(candidate); n++) {
      const suffix = `_${n}`;
      candidate = shortenIdentifier(name.length + suffix.length > MAX_IDENTIFIER ? [...name].slice(0, MAX_IDENTIFIER - suffix.length).join('') + suffix : name + suffix);
    }
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
