"""How the GUI is put together: one task manager, small folders, no import cycles."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "annotator"
THREAD_STARTERS = re.compile(r"QThread\(|threading\.Thread\(|QThreadPool|ThreadPoolExecutor|processEvents\(")
MAX_MODULES = 15


def test_only_the_task_manager_starts_threads():
    offenders = [
        str(p.relative_to(SRC))
        for p in (SRC / "gui").rglob("*.py")
        if p.name != "tasks.py" and THREAD_STARTERS.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_no_source_folder_over_fifteen_modules():
    sizes = {
        str(d.relative_to(SRC)): len(list(d.glob("*.py")))
        for d in [SRC, *SRC.rglob("*")]
        if d.is_dir() and d.name != "__pycache__"
    }
    over = {d: n for d, n in sizes.items() if n > MAX_MODULES}
    assert not over, over
