import { describe, expect, it } from 'vitest';
import { columnSubject } from '../src/diagnostics/subject.js';
import { diagnostic } from '../src/diagnostics/diagnostic.js';
import { renderText } from '../src/diagnostics/render.js';
import { LineIndex } from '../src/diagnostics/span.js';

describe('renderText', () => {
  const file = { path: 'a.sql', text: 'CREATE TABLE t (a int[], b jsonb, c money);\n' };
  const lines = new LineIndex(file);
  const diagnostics = [
    diagnostic('array-to-json', { detail: 'a is an array' }, { span: lines.span(16, 7), subject: columnSubject('t', 'a') }),
    diagnostic('lossy-type-minor', { detail: 'b' }, { span: lines.span(25, 7), subject: columnSubject('t', 'b') }),
    diagnostic('lossy-type', { detail: 'c' }, { span: lines.span(34, 8), subject: columnSubject('t', 'c') }),
  ];

  it('prints each diagnostic with its location and a code frame', () => {
    const text = renderText(diagnostics, { files: [file] });
    expect(text).toContain('a.sql:1:17 - warning');
    expect(text).toContain('  1 | CREATE TABLE t (a int[]');
    expect(text).not.toContain('more not shown');
  });

  it('with a limit, shows the first ones and counts the rest by code', () => {
    const text = renderText(diagnostics, { files: [file], limit: 1 });
    expect(text).toContain('a is an array');
    // the third diagnostic's message line is not printed
    expect(text).not.toContain('[lossy-type]: c');
    expect(text).toMatch(/\.\.\. and 2 more not shown here \(PGT2001 \[lossy-type\] x1, PGT2011 \[lossy-type-minor\] x1\)/);
    expect(renderText(diagnostics, { files: [file], limit: 1, quiet: true })).toMatch(/and 1 more not shown here/);
  });
});
