"""The data benchmark's peer (run by bench/data.mjs): sqlglot transpiling rows as INSERTs.

    bench/.venv/bin/python bench/peers/sqlglot_data.py <dump.sql> <max-bytes>

Takes the first COPY block's rows up to <max-bytes> of COPY text, writes each row as a PostgreSQL
INSERT (the COPY escapes decoded, values as '' literals, \\N as NULL; building them is not timed),
then times sqlglot.transpile(..., read="postgres", write="mysql") on them. Prints one JSON line.
"""
import json
import logging
import sys
import time

ESC = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def decode(field):
    if field == "\\N":
        return None
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append(ESC.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main():
    path, limit = sys.argv[1], int(sys.argv[2])
    head, rows, copy_bytes = None, [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if head is None:
                if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
                    head = line[5 : line.index(" FROM stdin")]
                continue
            if line == "\\.\n" or copy_bytes >= limit:
                break
            copy_bytes += len(line.encode("utf-8"))
            vals = []
            for fld in line.rstrip("\n").split("\t"):
                v = decode(fld)
                vals.append("NULL" if v is None else "'" + v.replace("'", "''") + "'")
            rows.append(f"INSERT INTO {head} VALUES ({', '.join(vals)});")
    sql = "\n".join(rows)
    t = time.perf_counter()
    import sqlglot

    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
    load = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    out = sqlglot.transpile(sql, read="postgres", write="mysql")
    ms, cpu_ms = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
    print(json.dumps({"tool": "sqlglot", "version": sqlglot.__version__, "rows": len(rows), "copyBytes": copy_bytes, "insertBytes": len(sql.encode("utf-8")), "ms": ms, "cpuMs": cpu_ms, "loadMs": load * 1000, "outStmts": len(out)}))


main()
