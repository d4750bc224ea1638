import { describe, expect, it } from 'vitest';
import { diagnostic } from '../src/diagnostics/diagnostic.js';
import { groupDiagnostics } from '../src/diagnostics/group.js';
import { renderText } from '../src/diagnostics/render.js';
import { LineIndex } from '../src/diagnostics/span.js';
import { columnSubject } from '../src/diagnostics/subject.js';

describe('renderText', () => {
  const file = { path: 'a.sql', text: 'CREATE TABLE t (a int[], b jsonb, c money);\n' };
  const lines = new LineIndex(file);
  const diagnostics = [
    diagnostic('array-to-json', { pgType: 'int[]', dimensions: 1 }, { span: lines.span(16, 7), subject: columnSubject('t', 'a') }),
    diagnostic('lossy-type-minor', { pgType: 'real', tidbType: 'FLOAT', reason: 'non-finite' }, { span: lines.span(25, 7), subject: columnSubject('t', 'b') }),
    diagnostic('lossy-type', { pgType: 'money', tidbType: 'DECIMAL(19,2)', reason: 'money-format' }, { span: lines.span(34, 8), subject: columnSubject('t', 'c') }),
  ];

  it('prints each diagnostic with its location and a code frame', () => {
    const text = renderText(diagnostics, { files: [file], verbose: true });
    expect(text).toContain('a.sql:1:17 - warning');
    expect(text).toContain('  1 | CREATE TABLE t (a int[]');
    expect(text).not.toContain('more not shown');
  });

  it('with a limit, shows the first ones and counts the rest by code', () => {
    const text = renderText(diagnostics, { files: [file], limit: 1, verbose: true });
    expect(text).toContain('t.a: int[] becomes a JSON array');
    // the third diagnostic's message line is not printed
    expect(text).not.toContain('[lossy-type]: c');
    expect(text).toMatch(/\.\.\. and 2 more not shown here \(PGT2001 \[lossy-type\] x1, PGT2011 \[lossy-type-minor\] x1\)/);
    expect(renderText(diagnostics, { files: [file], limit: 1, quiet: true, verbose: true })).toMatch(/and 1 more not shown here/);
  });
});

describe('grouped diagnostics', () => {
  const text = 'CREATE TABLE a (x timestamptz, y timestamptz);\nCREATE TABLE b (z timestamptz);\n' + 'CREATE TABLE e (k text);\n';
  const file = { path: 'g.sql', text };
  const lines = new LineIndex(file);
  const tz = (table: string, column: string, at: number) =>
    diagnostic('timestamptz', { to: 'DATETIME' }, { span: lines.span(at, 13), subject: columnSubject(`public.${table}`, column) });
  const diagnostics = [
    tz('a', 'x', 16),
    tz('a', 'y', 31),
    tz('b', 'z', 63),
    diagnostic('name-collision', { kind: 'column', names: ['K', 'k'] }, { span: lines.span(94, 6), subject: columnSubject('public.e', 'k') }),
  ];

  it('say the same about many objects as one group with the list of subjects', () => {
    const groups = groupDiagnostics(diagnostics);
    expect(groups.map((g) => [g.id, g.count, g.extent])).toEqual([
      ['timestamptz', 3, '3 columns in 2 tables'],
      ['name-collision', 1, '1 column in 1 table'],
    ]);
    expect(groups[0]!.headline).toBe('timestamptz becomes DATETIME holding UTC: the zone conversion is now an application convention');
    expect(groups[0]!.occurrences).toEqual([0, 1, 2]);
    expect(groups[0]!.subjects.map((s) => s.column)).toEqual(['x', 'y', 'z']);
  });

  it('print errors in full, each group once with one example, then counts by code', () => {
    const out = renderText(diagnostics, { files: [file] });
    const at = (s: string) => out.indexOf(s);
    expect(at('error PGT6002 [name-collision]')).toBeGreaterThanOrEqual(0);
    expect(at('warning PGT2005 [timestamptz] x3: timestamptz becomes DATETIME holding UTC')).toBeGreaterThan(at('error PGT6002'));
    expect(out).toContain('3 columns in 2 tables');
    expect(out).toContain('for example g.sql:1:17 (public.a.x)');
    expect(out.match(/public\.a\.y/g)).toBeNull();
    expect(out).toMatch(/count by code \(4 diagnostics, 2 codes\):\n {2}1 PGT6002 name-collision \(error\) +3 PGT2005 timestamptz \(warning\)/);
    const verbose = renderText(diagnostics, { files: [file], verbose: true });
    expect(verbose).toContain('public.a.y: timestamptz');
    expect(verbose).not.toContain('count by code');
  });

  it('never hide an error behind the limit', () => {
    const out = renderText([...diagnostics].reverse(), { files: [file], limit: 0 + 1 });
    expect(out).toContain('[name-collision]');
    expect(out).toContain('... and 3 more not shown here (PGT2005 [timestamptz] x3)');
  });
});
