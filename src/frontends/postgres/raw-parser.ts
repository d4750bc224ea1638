import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * libpg-query's WASM module, driven directly: its `parseSync` returns the tree already
 * JSON.parse'd, but a worker thread must hand back the JSON text (structured clone of the
 * tree costs more than parsing the text again). Same module, same calls as libpg-query 18.1.5's
 * parseSync (wasm/index.cjs); test/parse-workers.test.ts checks the results are identical.
 */
interface PgQueryModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(queryPtr: number): number;
  _wasm_free_parse_result(resultPtr: number): void;
  _wasm_parse_plpgsql(queryPtr: number): number;
  _wasm_free_string(ptr: number): void;
  getValue(ptr: number, type: 'i32'): number;
  lengthBytesUTF8(text: string): number;
  stringToUTF8(text: string, ptr: number, maxBytes: number): void;
  HEAPU8: Uint8Array;
}

/** The parse tree as JSON text, or PostgreSQL's syntax error with its 0-based character cursor (-1: none). */
export type RawParse =
  | { readonly ok: true; readonly json: string }
  | { readonly ok: false; readonly message: string; readonly cursorPosition: number };

export type RawParser = (sql: string) => RawParse;

/**
 * PL/pgSQL's own parse of a `CREATE FUNCTION ... LANGUAGE plpgsql` or `DO` statement (libpg-query's
 * pg_query_parse_plpgsql, as its parsePlPgSQLSync calls it): the JSON text, or PostgreSQL's error.
 */
export type PlpgsqlParser = (sql: string) => { readonly ok: true; readonly json: string } | { readonly ok: false; readonly message: string };

const decoder = new TextDecoder();

type Factory = (options: { instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => object }) => Promise<PgQueryModule>;

function libpgQueryDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('libpg-query'));
}

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * libpg-query's WASM, compiled once per process. Worker threads receive this Module rather than
 * compiling their own: V8 shares the machine code, including what it has optimised since.
 */
export function parserModule(): Promise<WebAssembly.Module> {
  compiled ??= readFile(join(libpgQueryDir(), 'libpg-query.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

export async function loadRawParser(module?: WebAssembly.Module): Promise<RawParser & { readonly plpgsql: PlpgsqlParser }> {
  const factory = createRequire(import.meta.url)(join(libpgQueryDir(), 'libpg-query.js')) as Factory;
  const code = module ?? (await parserModule());
  const wasm = await factory({
    instantiateWasm: (imports, done) => {
      void WebAssembly.instantiate(code, imports).then(done);
      return {};
    },
  });
  const cString = (ptr: number): string => {
    const heap = wasm.HEAPU8;
    return decoder.decode(heap.subarray(ptr, heap.indexOf(0, ptr)));
  };
  const plpgsql: PlpgsqlParser = (sql) => {
    const size = wasm.lengthBytesUTF8(sql) + 1;
    const queryPtr = wasm._malloc(size);
    let resultPtr = 0;
    try {
      wasm.stringToUTF8(sql, queryPtr, size);
      resultPtr = wasm._wasm_parse_plpgsql(queryPtr);
      const text = resultPtr ? cString(resultPtr) : 'libpg-query: no PL/pgSQL parse';
      // As libpg-query's parsePlPgSQLSync: success is a JSON object, anything else the error message.
      return text.startsWith('{') ? { ok: true, json: text } : { ok: false, message: text };
    } finally {
      wasm._free(queryPtr);
      if (resultPtr) wasm._wasm_free_string(resultPtr);
    }
  };
  const parse: RawParser = (sql) => {
    if (sql === '') return { ok: false, message: 'Query cannot be empty', cursorPosition: -1 };
    const size = wasm.lengthBytesUTF8(sql) + 1;
    const queryPtr = wasm._malloc(size);
    let resultPtr = 0;
    try {
      wasm.stringToUTF8(sql, queryPtr, size);
      resultPtr = wasm._wasm_parse_query_raw(queryPtr);
      if (!resultPtr) throw new Error('libpg-query: out of memory while parsing');
      const treePtr = wasm.getValue(resultPtr, 'i32');
      const errorPtr = wasm.getValue(resultPtr + 8, 'i32');
      if (errorPtr) {
        const messagePtr = wasm.getValue(errorPtr, 'i32');
        const cursor = wasm.getValue(errorPtr + 16, 'i32');
        return { ok: false, message: messagePtr ? cString(messagePtr) : 'Unknown error', cursorPosition: cursor > 0 ? cursor - 1 : 0 };
      }
      if (!treePtr) throw new Error('libpg-query: no parse tree');
      return { ok: true, json: cString(treePtr) };
    } finally {
      wasm._free(queryPtr);
      if (resultPtr) wasm._wasm_free_parse_result(resultPtr);
    }
  };
  return Object.assign(parse, { plpgsql });
}
