"""Checks that a workspace file is whole: used after kills and full disks."""

import sqlite3


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
        live = {r[0]: r[1:] for r in con.execute(
            "SELECT id, quote, note FROM passage WHERE deleted_at IS NULL")}
        assert indexed == live, "passage_fts disagrees with the live passages"
        lines = con.execute("SELECT count(*) FROM line").fetchone()[0]
        docs = con.execute("SELECT count(*) FROM document").fetchone()[0]
        passages = con.execute("SELECT count(*) FROM passage").fetchone()[0]
        con.rollback()
    finally:
        con.close()
    return {"integrity": "ok", "documents": docs, "lines": lines, "passages": passages,
            "live_passages": len(live)}


def line_hits(path, word: str) -> int:
    con = sqlite3.connect(str(path))
    try:
        return con.execute("SELECT count(*) FROM line_fts WHERE line_fts MATCH ?", (word,)).fetchone()[0]
    finally:
        con.close()
