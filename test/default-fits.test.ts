import { describe, expect, it } from 'vitest';
import type { TidbType } from '../src/ir/tidb.js';
import { defaultFits } from '../src/transform/default-fits.js';

const t = (base: TidbType['base'], more: Partial<TidbType> = {}): TidbType => ({ base, ...more });

describe('defaultFits', () => {
  it('counts characters, not bytes, for VARCHAR and CHAR', () => {
    expect(defaultFits("'none'", t('VARCHAR', { length: 2 }))).toBe(false);
    expect(defaultFits("'no'", t('VARCHAR', { length: 2 }))).toBe(true);
    expect(defaultFits("'éé'", t('CHAR', { length: 2 }))).toBe(true);
    expect(defaultFits("'it''s'", t('VARCHAR', { length: 4 }))).toBe(true);
    expect(defaultFits("'it''s'", t('VARCHAR', { length: 3 }))).toBe(false);
  });
  it('counts bytes for BINARY and VARBINARY', () => {
    expect(defaultFits("'éé'", t('VARBINARY', { length: 2 }))).toBe(false);
    expect(defaultFits("'ab'", t('BINARY', { length: 2 }))).toBe(true);
  });
  it('checks integer ranges, signed and unsigned', () => {
    expect(defaultFits('3000000000', t('INT'))).toBe(false);
    expect(defaultFits('2147483647', t('INT'))).toBe(true);
    expect(defaultFits('-2147483648', t('INT'))).toBe(true);
    expect(defaultFits('-2147483649', t('INT'))).toBe(false);
    expect(defaultFits('3000000000', t('INT', { unsigned: true }))).toBe(true);
    expect(defaultFits('-1', t('BIGINT', { unsigned: true }))).toBe(false);
    expect(defaultFits("'200'", t('TINYINT'))).toBe(false);
    expect(defaultFits('32767', t('SMALLINT'))).toBe(true);
    expect(defaultFits('9223372036854775808', t('BIGINT'))).toBe(false);
    expect(defaultFits('127.6', t('TINYINT'))).toBe(false);
  });
  it('checks decimal integer digits, rounding extra fraction digits', () => {
    expect(defaultFits('123.45', t('DECIMAL', { precision: 5, scale: 2 }))).toBe(true);
    expect(defaultFits('1234.5', t('DECIMAL', { precision: 5, scale: 2 }))).toBe(false);
    expect(defaultFits('9.995', t('DECIMAL', { precision: 3, scale: 2 }))).toBe(false);
    expect(defaultFits('9.994', t('DECIMAL', { precision: 3, scale: 2 }))).toBe(true);
    expect(defaultFits('0.5', t('DECIMAL', { precision: 1, scale: 1 }))).toBe(true);
  });
  it('needs an ENUM default to be one of the members', () => {
    expect(defaultFits("'b'", t('ENUM', { values: ['a', 'b'] }))).toBe(true);
    expect(defaultFits("'c'", t('ENUM', { values: ['a', 'b'] }))).toBe(false);
  });
  it('passes NULL and what it does not understand', () => {
    expect(defaultFits('NULL', t('VARCHAR', { length: 1 }))).toBe(true);
    expect(defaultFits('TRUE', t('INT'))).toBe(true);
    expect(defaultFits("'x'", t('JSON'))).toBe(true);
  });
});
