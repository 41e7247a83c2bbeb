"""The table `make bench` prints, and its JSON twin (bench/results.json)."""

import json
import time
from pathlib import Path

from bench.run import Row

HEAD = ("operation", "unit", "ours", "raw", "ratio", "goal", "result")


def fmt(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}" if abs(x) < 1 else f"{x:.2f}"


def cells(r: Row) -> tuple[str, ...]:
    verdict = {True: "pass", False: "FAIL", None: "n/a"}[r.passed]
    ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x"
    return (r.name, r.unit, fmt(r.ours), fmt(r.raw), ratio, r.goal, verdict)


def table(rows: list[Row]) -> str:
    body = [HEAD] + [cells(r) for r in rows]
    widths = [max(len(line[i]) for line in body) for i in range(len(HEAD))]
    right = {2, 3, 4}

    def line(values):
        return "  ".join(
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=False))
        )

    out = [line(HEAD), "  ".join("-" * w for w in widths)] + [line(c) for c in body[1:]]
    notes = [f"  {r.name}: {r.note}" for r in rows if r.note and not r.name.startswith("search ")]
    if notes:
        out += ["", "notes:"] + notes
    return "\n".join(out)


def write_json(path: Path, rows: list[Row], meta: dict) -> None:
    data = dict(
        meta, when=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), rows=[r.as_dict() for r in rows]
    )
    path.write_text(json.dumps(data, indent=1, default=str))
