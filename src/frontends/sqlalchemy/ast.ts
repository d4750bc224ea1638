/**
 * A small Python AST, converted once from the tree-sitter CST so that the tree can be
 * deleted right after parsing and the analysis works on plain data.
 * Offsets are UTF-16 code units into the module's text (web-tree-sitter's startIndex).
 */
export interface Off {
  readonly start: number;
  readonly end: number;
}

export interface Kw {
  readonly name: string;
  readonly value: PyExpr;
}

export type PyExpr =
  | { readonly t: 'name'; readonly id: string; readonly s: Off }
  | { readonly t: 'attr'; readonly obj: PyExpr; readonly name: string; readonly s: Off }
  | { readonly t: 'call'; readonly fn: PyExpr; readonly args: readonly PyExpr[]; readonly kwargs: readonly Kw[]; readonly splat: boolean; readonly s: Off }
  /** An f-string has `parts`: literal text and interpolated expressions in order. */
  | { readonly t: 'str'; readonly value: string; readonly dynamic: boolean; readonly parts?: readonly StrPart[]; readonly s: Off }
  | { readonly t: 'num'; readonly text: string; readonly s: Off }
  | { readonly t: 'bool'; readonly value: boolean; readonly s: Off }
  | { readonly t: 'none'; readonly s: Off }
  | { readonly t: 'tuple' | 'list' | 'set'; readonly items: readonly PyExpr[]; readonly s: Off }
  | { readonly t: 'dict'; readonly entries: readonly { readonly key: PyExpr; readonly value: PyExpr }[]; readonly splat: boolean; readonly s: Off }
  | { readonly t: 'subscript'; readonly value: PyExpr; readonly index: readonly PyExpr[]; readonly s: Off }
  | { readonly t: 'binop'; readonly op: string; readonly left: PyExpr; readonly right: PyExpr; readonly s: Off }
  | { readonly t: 'unary'; readonly op: string; readonly operand: PyExpr; readonly s: Off }
  | { readonly t: 'lambda'; readonly params: readonly string[]; readonly body: PyExpr; readonly s: Off }
  /** Anything the analysis does not model (comprehensions, conditionals, ...): kept as source text. */
  | { readonly t: 'other'; readonly kind: string; readonly text: string; readonly s: Off };

export type StrPart = string | { readonly expr: PyExpr; readonly conversion?: string; readonly spec?: string };

export interface ImportName {
  readonly name: string;
  readonly alias?: string;
}

export type PyStmt =
  | { readonly t: 'import'; readonly names: readonly ImportName[]; readonly s: Off }
  | { readonly t: 'from'; readonly module: string; readonly level: number; readonly names: readonly ImportName[]; readonly star: boolean; readonly s: Off }
  | { readonly t: 'assign'; readonly targets: readonly PyExpr[]; readonly annotation?: PyExpr; readonly value?: PyExpr; readonly s: Off }
  | { readonly t: 'class'; readonly def: ClassDef }
  | { readonly t: 'def'; readonly def: FuncDef }
  | { readonly t: 'expr'; readonly expr: PyExpr; readonly s: Off }
  | { readonly t: 'with'; readonly items: readonly { readonly expr: PyExpr; readonly alias?: string }[]; readonly body: readonly PyStmt[]; readonly s: Off }
  | { readonly t: 'if'; readonly test: PyExpr; readonly body: readonly PyStmt[]; readonly orelse: readonly PyStmt[]; readonly s: Off }
  | { readonly t: 'return'; readonly value?: PyExpr; readonly s: Off }
  | { readonly t: 'other'; readonly kind: string; readonly s: Off };

export interface ClassDef {
  readonly name: string;
  readonly bases: readonly PyExpr[];
  readonly keywords: readonly Kw[];
  readonly decorators: readonly PyExpr[];
  readonly body: readonly PyStmt[];
  readonly s: Off;
}

export interface FuncDef {
  readonly name: string;
  readonly params: readonly string[];
  /** Default values of parameters that have one. */
  readonly defaults?: ReadonlyMap<string, PyExpr>;
  readonly decorators: readonly PyExpr[];
  readonly returns?: PyExpr;
  readonly body: readonly PyStmt[];
  readonly s: Off;
}

export interface SyntaxProblem {
  readonly s: Off;
  readonly message: string;
}

export interface PyModule {
  readonly body: readonly PyStmt[];
  readonly errors: readonly SyntaxProblem[];
}

/** Dotted text of a name/attribute chain (`sa.orm.Mapped`), or undefined. */
export function dotted(e: PyExpr): string | undefined {
  if (e.t === 'name') return e.id;
  if (e.t === 'attr') {
    const o = dotted(e.obj);
    return o === undefined ? undefined : `${o}.${e.name}`;
  }
  return undefined;
}
