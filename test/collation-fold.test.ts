// collationKey / labelsCollide (src/transform/collation-fold.ts) against the ENUM pairs tidb-server v8.5
// refused (1291) or accepted under each collation; fixtures/enum-collation-equal runs them on the server.
import { describe, expect, it } from 'vitest';
import { labelsCollide } from '../src/transform/collation-fold.js';

const REFUSED_UNICODE_CI: readonly [string, string][] = [
  ['x', 'X'], ['Ω', 'ω'], ['ß', 'ss'], ['ǆ', 'dž'], ['①', '1'], ['Ａ', 'A'], ['㌳', 'ﾌｨｰﾄ'], ['a', 'a\u200b'], ['a', 'a\u0000'], ['😀', '😁'], ['🍏', '🈪'], ['\u{dc05f}', '\u{f3a2b}'],
];
const ACCEPTED_UNICODE_CI: readonly [string, string][] = [['æ', 'ae'], ['ı', 'i'], ['a-b', 'ab'], ['', 'a']];

describe('enum members equal under a TiDB collation', () => {
  it('finds every pair utf8mb4_unicode_ci refused', () => {
    for (const pair of REFUSED_UNICODE_CI) expect(labelsCollide(pair, 'utf8mb4_unicode_ci'), pair.join(' / ')).toBe(true);
  });
  it('keeps the pairs it accepted apart', () => {
    for (const pair of ACCEPTED_UNICODE_CI) expect(labelsCollide(pair, 'utf8mb4_unicode_ci'), pair.join(' / ')).toBe(false);
  });
  it('general_ci folds ß to s; 0900_ai_ci keeps supplementary characters apart; binary collations fold nothing', () => {
    expect(labelsCollide(['ß', 's'], 'utf8mb4_general_ci')).toBe(true);
    expect(labelsCollide(['😀', '😁'], 'utf8mb4_general_ci')).toBe(true);
    expect(labelsCollide(['😀', '😁'], 'utf8mb4_0900_ai_ci')).toBe(false);
    expect(labelsCollide(['a', 'A'], 'utf8mb4_bin')).toBe(false);
  });
});
