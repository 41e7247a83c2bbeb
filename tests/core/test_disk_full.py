"""A full disk during import, tagging and export: one clear sentence, exit code 4
(or a refusal naming the file), the workspace whole and nothing half-written.

The disk is "filled" with a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) in
the child process, which needs no privileges: every write past the limit
fails as it would on a full disk.
"""

import os
import shutil
import subprocess
import sys

import pytest

from safety_checks import integrity

LIMIT = 64 * 1024  # bytes any one file may reach in the child
CHILD = (
    "import resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "from annotator.cli import run\n"
    "sys.exit(run(sys.argv[2:]))\n"
)


def _limited(*args, limit=LIMIT):
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(limit), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def full(demo_file, tmp_path):
    path = tmp_path / "w.annot"
    shutil.copyfile(demo_file, path)
    before = integrity(path)
    return path, before


def _unchanged(path, before):
    after = integrity(path)  # PRAGMA integrity_check and both FTS indexes
    assert (after["documents"], after["passages"], after["lines"]) == (
        before["documents"],
        before["passages"],
        before["lines"],
    )


def test_import_on_a_full_disk(full, tmp_path):
    path, before = full
    big = tmp_path / "long statement.txt"
    big.write_text("The ward was short of nurses on every shift that month.\n" * 40000, encoding="utf-8")
    proc = _limited("import", path, big)
    assert proc.returncode == 4, proc.stderr
    assert "disk is full" in proc.stderr and "Traceback" not in proc.stderr
    _unchanged(path, before)


def test_tagging_on_a_full_disk(full):
    path, before = full
    proc = _limited(
        "tag", path, "1", "--page", "1", "--lines", "1-3", "--theme", "Safety", "--note", "n" * 120_000
    )
    assert proc.returncode == 4, proc.stderr
    assert "disk is full" in proc.stderr and "Traceback" not in proc.stderr
    _unchanged(path, before)


def test_export_on_a_full_disk_leaves_no_part_file(full, tmp_path):
    import random

    from sqlmodel import select

    from annotator.core.evidence import tagging
    from annotator.core.store.models import Passage
    from annotator.core.store.workspace import Workspace

    path, before = full
    out = tmp_path / "out"
    out.mkdir()
    # the workspace's own shared-memory file needs 32 KB, so the limit sits above it;
    # a long note of random words (which do not compress) keeps the bundle well over it
    rnd = random.Random(7)
    ws = Workspace.open(str(path))
    try:
        with ws.session() as s:
            first = s.exec(select(Passage.id).where(Passage.deleted_at.is_(None))).first()
        tagging.set_note(ws, first, " ".join(f"{rnd.getrandbits(32):08x}" for _ in range(6000)))
    finally:
        ws.close()
    limit = 40 * 1024
    args = ("export", path, "--format", "pdf", "--source-pages", "--out")
    assert (
        subprocess.run(
            [sys.executable, "-m", "annotator", *map(str, args), tmp_path / "whole.pdf"],
            capture_output=True,
            timeout=300,
        ).returncode
        == 0
    )
    assert (tmp_path / "whole.pdf").stat().st_size > 1.5 * limit
    proc = _limited(*args, out / "bundle.pdf", limit=limit)
    assert proc.returncode == 4, proc.stderr
    assert proc.stderr.count("\n") <= 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "bundle.pdf" in proc.stderr or "disk is full" in proc.stderr
    assert os.listdir(out) == []  # neither the bundle nor a temporary file
    _unchanged(path, before)


def test_one_helper_tells_a_full_disk_from_other_errors(tmp_path):
    """errors.is_disk_full: by error number and SQLite code, never by the word "full"."""
    import errno
    import sqlite3

    from annotator.core.util.errors import is_disk_full

    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OSError(errno.EFBIG, "File too large"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied: /media/full/x.pdf"))
    assert not is_disk_full(ValueError("the queue is full"))
    con = sqlite3.connect(tmp_path / "tiny.db")
    con.execute("PRAGMA max_page_count = 2")
    con.execute("CREATE TABLE t(x)")
    with pytest.raises(sqlite3.OperationalError) as full:
        con.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    assert is_disk_full(full.value)  # SQLITE_FULL
    try:
        raise RuntimeError("export failed") from full.value
    except RuntimeError as wrapped:
        assert is_disk_full(wrapped)  # found through the cause
    with pytest.raises(sqlite3.OperationalError) as other:
        con.execute("INSERT INTO missing VALUES (1)")
    assert not is_disk_full(other.value)
    con.close()
