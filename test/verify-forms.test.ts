// The DOUBLE and JSON texts tidb-server v8.5 printed back (CAST(... AS CHAR)) for these inputs,
// measured once by hand; test/verify-canonical.test.ts checks generated values against the server.
import { describe, expect, it } from 'vitest';
import { normViewQuery } from '../src/verify/normalise.js';
import { tidbDouble, tidbJson } from '../src/verify/tidb-json.js';

describe('verify canonical forms, as measured on tidb-server', () => {
  it('DOUBLE: plain notation, shortest digits, -0 as 0', () => {
    const measured: [string, string][] = [
      ['1e+300', `1${'0'.repeat(300)}`],
      ['-0', '0'],
      ['5e-324', `0.${'0'.repeat(323)}5`],
      ['0.30000000000000004', '0.30000000000000004'],
      ['1e+21', '1000000000000000000000'],
      ['1e-7', '0.0000001'],
      ['123456789012345680000', '123456789012345680000'],
      ['-1.5e-10', '-0.00000000015'],
      ['12345678.9', '12345678.9'],
      ['2.2250738585072014e-308', `0.${'0'.repeat(307)}22250738585072014`],
    ];
    for (const [cell, tidb] of measured) expect(tidbDouble(cell), cell).toBe(tidb);
  });

  it('JSON: byte-ordered keys, exact 64-bit integers, doubles as Go prints them, TiDB string escapes', () => {
    const measured: [string, string][] = [
      ['{"b":1,"a":[1,2,{"d":null,"c":true}]}', '{"a": [1, 2, {"c": true, "d": null}], "b": 1}'],
      ['{"aa":1,"b":2,"a":3,"ab":4}', '{"a": 3, "aa": 1, "ab": 4, "b": 2}'],
      ['{"é":1,"z":2,"Z":3,"":4}', '{"": 4, "Z": 3, "z": 2, "é": 1}'],
      ['1.0', '1'],
      ['-0', '0'],
      ['-0.0', '-0'],
      ['-1e-400', '-0'],
      ['1e300', '1e+300'],
      ['1E2', '100'],
      ['1.5e-7', '1.5e-7'],
      ['1e21', '1e+21'],
      ['123.456e5', '12345600'],
      ['9007199254740993', '9007199254740993'],
      ['-9223372036854775808', '-9223372036854775808'],
      ['18446744073709551615', '18446744073709551615'],
      ['18446744073709551616', '18446744073709552000'],
      ['[1.0, 2.50, 3e0, -1e-5, 100000000000000000000000]', '[1, 2.5, 3, -0.00001, 1e+23]'],
      ['"\\u00e9\\ud83d\\ude00"', '"é😀"'],
      ['"\\u0001\\t\\n\\"\\\\/"', '"\\u0001\\t\\n\\"\\\\/"'],
      ['"\\b\\f\\r\\u007f\\u2029\\u0000"', '"\\u0008\\u000c\\r\u007f\\u2029\\u0000"'],
      ['"\\ud83d"', '"\ufffd"'],
      ['"<>&\u2028"', '"<>&\\u2028"'],
      ['{"a":{"b":{"c":[[],{}]}}}', '{"a": {"b": {"c": [[], {}]}}}'],
    ];
    for (const [cell, tidb] of measured) expect(tidbJson(cell), cell).toBe(tidb);
  });
});

describe('verify view queries, as information_schema.VIEWS shows them on tidb-server v8.5', () => {
  it('COUNT(*), LIMIT n OFFSET m, a database-qualified column under an aggregate and added aliases compare equal', () => {
    const emitted = 'SELECT `name`, COUNT(*) AS `count(*)` FROM `vt`.`t` GROUP BY `name` ORDER BY COUNT(*) DESC, SUM(`t`.`n`) LIMIT 10 OFFSET 5';
    const stored = 'SELECT `name` AS `name`,COUNT(1) AS `count(*)` FROM `vt`.`t` GROUP BY `name` ORDER BY COUNT(1) DESC,SUM(`vt`.`t`.`n`) LIMIT 5,10';
    expect(normViewQuery(emitted, 'vt')).toBe(normViewQuery(stored, 'vt'));
  });
  it('a different query stays different', () => {
    const stored = 'SELECT `name` AS `name`,COUNT(1) AS `count(*)` FROM `vt`.`t` GROUP BY `name` LIMIT 5,10';
    expect(normViewQuery(stored.replace('LIMIT 5,10', 'LIMIT 5,11'), 'vt')).not.toBe(normViewQuery(stored, 'vt'));
    expect(normViewQuery('SELECT `name` AS `n` FROM `vt`.`t`', 'vt')).not.toBe(normViewQuery('SELECT `name` FROM `vt`.`t`', 'vt'));
    // Only the view's own database is taken off a three-part name.
    expect(normViewQuery('SELECT SUM(`other`.`t`.`n`) FROM `other`.`t`', 'vt')).not.toBe(normViewQuery('SELECT SUM(`t`.`n`) FROM `other`.`t`', 'vt'));
  });
  it('aliases differing only in name compare equal: the catalog renames a subquery alias that shadows an outer one (sakila actor_info)', () => {
    const view = (f: string, fc: string, fa: string) =>
      `SELECT \`a\`.\`actor_id\`, (SELECT GROUP_CONCAT(\`${f}\`.\`title\`) FROM \`vt\`.\`film\` AS \`${f}\` JOIN \`vt\`.\`film_category\` AS \`${fc}\` ON (\`${f}\`.\`film_id\` = \`${fc}\`.\`film_id\`) JOIN \`vt\`.\`film_actor\` AS \`${fa}\` ON (\`${f}\`.\`film_id\` = \`${fa}\`.\`film_id\`) WHERE \`${fc}\`.\`category_id\` = \`c\`.\`category_id\` AND \`${fa}\`.\`actor_id\` = \`a\`.\`actor_id\`) AS \`films\` ` +
      'FROM `vt`.`actor` AS `a` LEFT JOIN `vt`.`film_actor` AS `fa` ON (`a`.`actor_id` = `fa`.`actor_id`) LEFT JOIN `vt`.`film_category` AS `fc` ON (`fa`.`film_id` = `fc`.`film_id`) LEFT JOIN `vt`.`category` AS `c` ON (`fc`.`category_id` = `c`.`category_id`)';
    expect(normViewQuery(view('f', 'fc', 'fa'), 'vt')).toBe(normViewQuery(view('f', 'fc_1', 'fa_1'), 'vt'));
    expect(normViewQuery(view('f', 'fc', 'fa'), 'vt')).toBe(normViewQuery(view('g', 'x', 'y'), 'vt'));
  });
  it('a qualifier that resolves to another alias stays different', () => {
    // The inner `a` shadows the outer one: renamed, the reference points at the outer table instead.
    const inner = 'SELECT (SELECT MAX(`a`.`n`) FROM `vt`.`t` AS `a`) AS `m` FROM `vt`.`u` AS `a`';
    const outer = 'SELECT (SELECT MAX(`a`.`n`) FROM `vt`.`t` AS `b`) AS `m` FROM `vt`.`u` AS `a`';
    expect(normViewQuery(inner, 'vt')).not.toBe(normViewQuery(outer, 'vt'));
    // Two aliases swapped in one condition.
    const a = 'SELECT `x`.`k` FROM `vt`.`t` AS `x` JOIN `vt`.`u` AS `y` ON `x`.`id` = `y`.`t_id`';
    expect(normViewQuery(a, 'vt')).not.toBe(normViewQuery(a.replace('`x`.`id` = `y`.`t_id`', '`y`.`id` = `x`.`t_id`'), 'vt'));
    // A table without an alias keeps its name, and a column named like an alias is not an alias.
    expect(normViewQuery('SELECT `t`.`x` FROM `vt`.`t`', 'vt')).not.toBe(normViewQuery('SELECT `u`.`x` FROM `vt`.`u`', 'vt'));
    expect(normViewQuery('SELECT `p`.`q`, `q` FROM `vt`.`t` AS `p`', 'vt')).not.toBe(normViewQuery('SELECT `r`.`q`, `r` FROM `vt`.`t` AS `r`', 'vt'));
    // Aliases of two sides of a UNION are each their own.
    const union = 'SELECT `a`.`x` FROM `vt`.`t` AS `a` UNION SELECT `b`.`x` FROM `vt`.`u` AS `b`';
    expect(normViewQuery(union, 'vt')).toBe(normViewQuery(union.replace(/`b`/g, '`a`'), 'vt'));
  });
});
