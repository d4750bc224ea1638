"""Log-log chart of time against input size for every tool.

    bench/.venv/bin/python bench/plot.py bench/results/latest.json bench/results/time-vs-size.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

src, dst = sys.argv[1], sys.argv[2]
data = json.load(open(src, encoding="utf-8"))
LABEL = {
    "pg2tidb-lib": "pg2tidb translate()",
    "pg2tidb-cli": "pg2tidb CLI (incl. node start)",
    "floor-whole": "libpg-query parse, whole file",
    "floor-stmt": "libpg-query parse, per statement",
    "polyglot": "polyglot-sql",
    "sqlglot": "sqlglot",
}
COLOR = {"pg2tidb-lib": "C3", "pg2tidb-cli": "C1", "floor-whole": "C0", "floor-stmt": "C9", "polyglot": "C2", "sqlglot": "C4"}
fig, ax = plt.subplots(figsize=(9, 6), dpi=120)
for tool in LABEL:
    syn = [(s["bytes"] / 2**20, s["tools"][tool]) for s in data["summary"] if s["kind"] == "synthetic" and s["tools"].get(tool)]
    cor = [(s["bytes"] / 2**20, s["tools"][tool]) for s in data["summary"] if s["kind"] == "corpus" and s["tools"].get(tool)]
    if not syn and not cor:
        continue
    if syn:
        xs = [x for x, _ in syn]
        ys = [a["median"] / 1000 for _, a in syn]
        lo = [(a["median"] - a["min"]) / 1000 for _, a in syn]
        hi = [(a["max"] - a["median"]) / 1000 for _, a in syn]
        ax.errorbar(xs, ys, yerr=[lo, hi], fmt="-o", color=COLOR[tool], label=LABEL[tool] + " (synthetic)", capsize=3)
    if cor:
        ax.scatter([x for x, _ in cor], [a["median"] / 1000 for _, a in cor], facecolors="none", edgecolors=COLOR[tool], marker="s", s=22,
                   label=LABEL[tool] + " (corpus)")
ax.set_xscale("log")
ax.set_yscale("log")
from matplotlib.ticker import FuncFormatter, NullFormatter  # noqa: E402

for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())
ax.set_xlabel("input size (MB)")
ax.set_ylabel("time (s), median of runs; bars = min..max")
ri = data["runInfo"]
ax.set_title(f"pg2tidb vs parse floor and peers (speed only) — {ri['date'][:10]}, {ri['cores']} cores")
ax.grid(True, which="both", alpha=0.3)
ax.legend(fontsize=7, loc="upper left")
fig.tight_layout()
fig.savefig(dst)
print(f"[plot] wrote {dst}")
