"""Checks that a workspace file is whole: used after kills and full disks."""

import os
import sqlite3
from contextlib import contextmanager


def integrity(path) -> dict:
    """SQLite and FTS5 integrity of a closed workspace file; raises on any disagreement."""
    con = sqlite3.connect(str(path))
    try:
        result = con.execute("PRAGMA integrity_check").fetchall()
        assert result == [("ok",)], result
        # rank 1: also compare the external-content index with the `line` table
        con.execute("INSERT INTO line_fts(line_fts, rank) VALUES ('integrity-check', 1)")
        con.execute("INSERT INTO passage_fts(passage_fts) VALUES ('integrity-check')")
        indexed = {r[0]: r[1:] for r in con.execute("SELECT rowid, quote, note FROM passage_fts")}
        live = {
            r[0]: r[1:] for r in con.execute("SELECT id, quote, note FROM passage WHERE deleted_at IS NULL")
        }
        assert indexed == live, "passage_fts disagrees with the live passages"
        lines = con.execute("SELECT count(*) FROM line").fetchone()[0]
        docs = con.execute("SELECT count(*) FROM document").fetchone()[0]
        passages = con.execute("SELECT count(*) FROM passage").fetchone()[0]
        con.rollback()
    finally:
        con.close()
    return {
        "integrity": "ok",
        "documents": docs,
        "lines": lines,
        "passages": passages,
        "live_passages": len(live),
    }


def line_hits(path, word: str) -> int:
    con = sqlite3.connect(str(path))
    try:
        return con.execute("SELECT count(*) FROM line_fts WHERE line_fts MATCH ?", (word,)).fetchone()[0]
    finally:
        con.close()


def _run(*cmd) -> bool:
    import subprocess

    try:
        return subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@contextmanager
def read_only_medium(folder, monkeypatch):
    """Make `folder` read-only as a medium would be, yielding how it was done.

    As root, permission bits are not enforced, so where allowed the folder is
    bind-mounted read-only over itself; otherwise `os.access` reports it
    unwritable, which is what the application checks.
    """
    folder = os.path.abspath(str(folder))
    if _run("mount", "--bind", folder, folder):
        if _run("mount", "-o", "remount,bind,ro", folder):
            try:
                yield "read-only bind mount"
            finally:
                if not _run("umount", folder):
                    _run("umount", "-l", folder)
            return
        _run("umount", folder)
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        try:
            yield "folder mode 0555"
        finally:
            os.chmod(folder, 0o755)
        return
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        inside = os.path.abspath(str(path)) == folder or os.path.abspath(str(path)).startswith(
            folder + os.sep
        )
        if inside and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    try:
        yield "os.access reports it read-only"
    finally:
        monkeypatch.setattr(os, "access", real_access)
