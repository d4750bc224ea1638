/**
 * Which strings a TiDB _ci collation makes equal, approximated from above: two strings that fold to
 * the same key may be equal, two that do not are distinct. Used where a false "equal" costs nothing
 * (an ENUM compared in utf8mb4_bin instead) and a missed one is a refused statement. Measured on
 * tidb-server v8.5, ENUM members that utf8mb4_unicode_ci refuses as duplicates (1291): 'x'/'X',
 * 'Ω'/'ω', 'ß'/'ss', 'ǆ'/'dž', '①'/'1', 'Ａ'/'A', '㌳'/'ﾌｨｰﾄ', 'a'/'a\u200b', 'a'/'a\u0000', and any two
 * supplementary-plane characters ('😀'/'😁'); utf8mb4_general_ci also 'ß'/'s'. utf8mb4_0900_ai_ci
 * keeps supplementary characters apart. Accepted as distinct: 'æ'/'ae', 'ı'/'i', 'a-b'/'ab'.
 */
export function collationKey(value: string, collation: string): string {
  // Supplementary characters weigh alike before any decomposition: '🈪' (NFKD '指') equals '🍏' (1291, measured).
  const padSpace = !/0900/.test(collation);
  let s = (padSpace ? value.replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD') : value).normalize('NFKD').replace(/[\p{M}\p{Cf}\p{Cc}]/gu, '').toLowerCase();
  s = s.replace(/ß/g, /general_ci$/.test(collation) ? 's' : 'ss');
  // PAD SPACE collations (all but utf8mb4_0900_*) ignore trailing spaces.
  if (padSpace) s = s.replace(/ +$/, '').replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
  return s;
}

/** Whether some of `values` may be equal under `collation` (only _ci collations fold anything here). */
export function labelsCollide(values: readonly string[], collation: string): boolean {
  if (!/_ci$/.test(collation)) return false;
  return new Set(values.map((v) => collationKey(v, collation))).size < values.length;
}
