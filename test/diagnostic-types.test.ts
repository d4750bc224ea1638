import { describe, expect, it } from 'vitest';
import { CATALOGUE, type DiagnosticCode } from '../src/diagnostics/catalogue.js';
import { diagnostic, DiagnosticBag } from '../src/diagnostics/diagnostic.js';
import { tableSubject } from '../src/diagnostics/subject.js';

// `npm run typecheck` compiles this file: each @ts-expect-error fails the build if tsc accepts the line.
describe('diagnostic payloads are typed per catalogue id', () => {
  it('tsc rejects a missing or ill-typed payload, a string subject and an unknown code', () => {
    const bag = new DiagnosticBag();
    const subject = tableSubject('public.v');
    bag.add('view-dependency-left-out', { materialized: false, dependency: 'public.w' }, { subject });
    // Compiled, never run: tsc must refuse each of these.
    const rejected = () => {
    // @ts-expect-error the payload of view-dependency-left-out is { materialized, dependency }, not a detail sentence
    bag.add('view-dependency-left-out', { detail: 'x' }, { subject });
    // @ts-expect-error a payload is required
    bag.add('check-constraint-off', undefined, { subject });
    // @ts-expect-error count is a number
    bag.add('check-constraint-off', { count: '3' }, { subject });
    // @ts-expect-error the subject is structured, not a string
    bag.add('timestamptz', { detail: 'x' }, { subject: 'public.t.c' });
    // @ts-expect-error every diagnostic has a subject
    bag.add('timestamptz', { detail: 'x' }, {});
    // @ts-expect-error no such id
    bag.add('no-such-id', { detail: 'x' }, { subject });
    // @ts-expect-error an id of a union type takes a payload every member accepts, not one member's
    bag.add('fk-deferrable' as 'fk-deferrable' | 'nulls-not-distinct', { constraint: 'c' }, { subject });
    // @ts-expect-error codes are a closed union
    const code: DiagnosticCode = 'PGT9999';
    void code;
    };
    void rejected;
    expect(bag.items.map((d) => d.message)).toEqual(['view public.v: left out because it reads public.w, which is left out']);
  });

  it('messages come from the catalogue template over the payload', () => {
    const d = diagnostic('check-constraint-off', { count: 3 }, { subject: { kind: 'option', name: 'tidb_enable_check_constraint' } });
    expect(d.message).toBe('3 CHECK constraints are emitted; TiDB ignores them unless tidb_enable_check_constraint is ON (it is OFF by default)');
    expect(d.code).toBe(CATALOGUE['check-constraint-off'].code);
    expect(diagnostic('view-dependency-left-out', { materialized: true, dependency: 'public.w' }, { subject: { kind: 'materialized-view', database: 'public', name: 'mv' } }).message).toMatch(/^materialized view public\.mv: /);
  });

  it('each code names one id', () => {
    const codes = Object.values(CATALOGUE).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
