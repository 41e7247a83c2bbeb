"""The benchmarks still run (tiny size). Not a timing test: no figure is judged here."""

import json
import subprocess
import sys

from helpers import ROOT

EXPECTED = [
    "import ",
    "peak memory: import",
    "open workspace",
    "first page",
    "peak memory: render all",
    "tag one passage",
    "list every passage",
    "peak memory: passages list",
    "search phrase",
    "search boolean",
    "search NEAR",
    "search prefix",
    "search filter only",
    "search rare word",
    "search common word",
    "search word + days",
    "search stemmed word",
    "search note field",
    "peak memory: search",
    "embed lines",
    "embed passages for themes",
    "similar to a passage",
    "suggest themes for a passage",
    "suggest themes for a selection",
    "export ",
    "peak memory: export",
    "re-anchor ",
    "peak memory: re-anchor",
    "open a 200-page transcript in the transcript view",
    "OCR a ",
    "OCR 2-page scan: peak memory",
]


def test_every_benchmark_runs_at_tiny_size(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--size", "tiny", "--out", str(tmp_path), "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads(out.read_text())["rows"]
    names = [r["operation"] for r in rows]
    for prefix in EXPECTED:
        assert any(n.startswith(prefix) for n in names), f"no row for {prefix!r}: {names}"
        assert prefix.strip() in proc.stdout
    for r in rows:
        assert r["raw"] > 0, r
        if "not available" not in r["note"]:  # a module not written yet reports itself
            assert r["ours"] > 0, r


def test_a_benchmark_process_reports_its_own_peak_memory_not_the_runner_s():
    # Linux's ru_maxrss carries the peak of the image before exec (the runner
    # that started the child); a 300 MB runner must not show in the child's figure
    ballast = bytearray(300 * 2**20)
    ballast[::4096] = bytes(len(range(0, len(ballast), 4096)))  # make the pages resident
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child"],
        input=json.dumps({"fn": "bench.run:machine"}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    peak = json.loads(proc.stdout.strip().splitlines()[-1])["peak_mb"]
    del ballast
    assert 0 < peak < 200, peak
