"""One sqlglot measurement in a fresh process (run by bench/run.mjs).

    bench/.venv/bin/python bench/peers/sqlglot_run.py <prepped.sql> <stmts.json>

<prepped.sql> is the input with psql lines and COPY data already removed (the
same text the parse floor sees). Times sqlglot.transpile(sql, read="postgres",
write="mysql") on the whole file; if that raises, transpiles statement by
statement (statements from <stmts.json>, split by bench/lib/prep.mjs) and
counts failures (mode "per-stmt"). sqlglot's warning log is silenced so that
log I/O is not timed. Prints one JSON line.
"""
import json
import logging
import resource
import sys
import time

out = {"tool": "sqlglot", "ok": True}
try:
    path, stmts_path = sys.argv[1], sys.argv[2]
    t = time.perf_counter()
    import sqlglot  # noqa: E402

    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
    out["loadMs"] = (time.perf_counter() - t) * 1000
    out["version"] = sqlglot.__version__
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out["bytes"] = len(text.encode("utf-8"))
    t = time.perf_counter()
    try:
        res = sqlglot.transpile(text, read="postgres", write="mysql")
        out["ms"] = (time.perf_counter() - t) * 1000
        out["mode"] = "whole"
        out["outStmts"] = len(res)
        out["outBytes"] = sum(len(s) for s in res)
    except Exception as e:  # ParseError, TokenError, UnsupportedError...
        out["wholeFailMs"] = (time.perf_counter() - t) * 1000
        out["wholeError"] = (type(e).__name__ + ": " + str(e))[:200]
        with open(stmts_path, encoding="utf-8") as f:
            stmts = json.load(f)
        t = time.perf_counter()
        failed = 0
        out_bytes = 0
        first = None
        for s in stmts:
            try:
                out_bytes += sum(len(x) for x in sqlglot.transpile(s, read="postgres", write="mysql"))
            except Exception as e2:
                failed += 1
                if first is None:
                    first = (type(e2).__name__ + ": " + str(e2))[:200]
        out["ms"] = (time.perf_counter() - t) * 1000
        out["mode"] = "per-stmt"
        out["stmts"] = len(stmts)
        out["failed"] = failed
        out["outBytes"] = out_bytes
        if first:
            out["firstError"] = first
except Exception as e:
    out["ok"] = False
    out["error"] = (type(e).__name__ + ": " + str(e))[:500]
out["maxRSSKB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out), flush=True)
