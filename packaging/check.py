"""`make package-check`: the frozen application does a user's first hour, offline.

Runs dist/annotator/annotator with networking disabled (a new network
namespace, `unshare -n`, where the system allows it): --version, a new
workspace, importing a seed document and a PDF transcript (through the
frozen program's own PDF reader process), tagging, searching, exporting a
bundle, then opening its window under Xvfb. Last it times the window's
first appearance beside the source install's, alternating, in the same run
(goal: within 1.5x), and reports the folder's size (goal: under 250 MB).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE_GOAL_MB = 250
START_GOAL = 1.5
ROUNDS = 3


def offline_prefix() -> list[str]:
    """A command prefix that cuts the network, or [] (said) where it cannot."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    print("note: networking could not be disabled here (unshare -n refused); running with it")
    return []


def run(cmd: list[str], env: dict, expect: str = "") -> str:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    shown = " ".join(Path(c).name if os.sep in c else c for c in cmd)
    if proc.returncode != 0 or expect not in proc.stdout:
        raise SystemExit(f"FAILED: {shown}\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    print(f"ok  {shown}")
    return proc.stdout


def headless(app: Path, prefix: list[str], work: Path, env: dict) -> None:
    from annotator import __version__

    ws = str(work / "check.annot")
    run([*prefix, str(app), "--version"], env, expect=__version__)
    run([*prefix, str(app), "new", ws, "--title", "Package check"], env)
    run([*prefix, str(app), "import", ws, str(ROOT / "seeds" / "keogh-evidence-report.txt")], env)
    pdf = work / "transcript.pdf"
    _write_transcript_pdf(pdf)
    out = run(
        [*prefix, str(app), "import", ws, str(pdf), "--kind", "transcript", "--day", "3", "--json"], env
    )
    doc = json.loads(out)[0]["document"]
    run(
        [*prefix, str(app), "tag", ws, str(doc), "--quote", "staffing levels", "--theme", "Safety", "--json"],
        env,
    )
    run([*prefix, str(app), "search", ws, '"staffing levels"'], env, expect="staffing")
    bundle = work / "bundle.pdf"
    run([*prefix, str(app), "export", ws, "--out", str(bundle), "--all-themes"], env)
    if not bundle.exists() or bundle.stat().st_size < 2000:
        raise SystemExit("FAILED: the exported bundle is missing or empty")


def _write_transcript_pdf(path: Path) -> None:
    """A two-page numbered transcript, made with the source install's PyMuPDF."""
    import pymupdf

    doc = pymupdf.open()
    for page_no in (1, 2):
        page = doc.new_page()
        page.insert_text((280, 40), str(page_no), fontname="cour", fontsize=11)
        for line in range(1, 26):
            text = (
                "Q. Were the staffing levels on the ward safe?" if line == 5 else f"Line {line} of the day."
            )
            page.insert_text((60, 60 + line * 28), f"{line:>2}   {text}", fontname="cour", fontsize=11)
    doc.save(str(path))


def time_to_window(cmd: list[str], env: dict) -> float:
    env = dict(env, ANNOTATOR_QUIT_WHEN_SHOWN="1")
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - start
    if proc.returncode != 0 or "window shown" not in proc.stdout:
        raise SystemExit(f"FAILED: the window did not show\n{proc.stdout[-800:]}\n{proc.stderr[-1500:]}")
    return took


def window(app: Path, prefix: list[str], env: dict) -> None:
    if not shutil.which("xvfb-run"):
        raise SystemExit("FAILED: xvfb-run is missing (Debian package xvfb)")
    xvfb = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24"]
    source = [str(ROOT / ".venv" / "bin" / "annotator"), "gui"]
    env = dict(env, QT_QPA_PLATFORM="xcb")
    frozen_times, source_times = [], []
    for _ in range(ROUNDS):
        frozen_times.append(time_to_window([*xvfb, *prefix, str(app), "gui"], env))
        source_times.append(time_to_window([*xvfb, *prefix, *source], env))
    # xvfb-run's own start-up is in both; the ratio compares like with like.
    f, s = min(frozen_times), min(source_times)
    verdict = "pass" if f <= START_GOAL * s else "FAIL"
    print(
        f"window shown: packaged {f:.2f} s, source install {s:.2f} s, ratio {f / s:.2f}x (goal <= {START_GOAL}x) {verdict}"
    )
    if verdict == "FAIL":
        raise SystemExit(1)


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "dist/annotator").resolve()
    app = folder / ("annotator.exe" if sys.platform == "win32" else "annotator")
    if not app.exists():
        print(f"No packaged application at {folder}: run `make package` first.", file=sys.stderr)
        return 2
    prefix = offline_prefix()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(
            os.environ,
            ANNOTATOR_DATA_DIR=str(work / "data"),
            ANNOTATOR_LOG_DIR=str(work / "logs"),
            XDG_CONFIG_HOME=str(work / "config"),
            QT_QPA_PLATFORM="offscreen",
        )
        headless(app, prefix, work, env)
        window(app, prefix, env)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    verdict = "pass" if size < SIZE_GOAL_MB else "FAIL"
    print(f"folder size: {size:.0f} MB (goal < {SIZE_GOAL_MB} MB) {verdict}")
    return 0 if verdict == "pass" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
