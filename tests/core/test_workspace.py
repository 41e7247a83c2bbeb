import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy.exc import IntegrityError, DatabaseError
from sqlmodel import select

from annotator.core.store import schema
from annotator.core.util.errors import SchemaTooNew, WorkspaceLocked, ReadOnlyWorkspace
from annotator.core.store.models import Audit, Passage, Theme
from annotator.core.store.workspace import Workspace
from helpers import run_cli


def test_new_workspace_has_wal_foreign_keys_and_default_themes(ws):
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert schema.user_version(conn) == schema.SCHEMA_VERSION
    with ws.session() as s:
        names = [t.name for t in s.exec(select(Theme).order_by(Theme.position))]
        keys = [t.shortcut for t in s.exec(select(Theme).order_by(Theme.position))]
    assert names == ["Targets", "Quality", "Safety", "Clinical leadership"]
    assert keys == ["1", "2", "3", "4"]
    assert ws.get("title") == "Test"
    assert oct(os.stat(ws.path).st_mode & 0o777) == "0o600"


def test_every_write_is_audited_and_the_log_is_append_only(ws):
    ws.set("inquiry", "Mid Staffs")
    with ws.session() as s:
        actions = [a.action for a in s.exec(select(Audit))]
    assert "set setting" in actions and "create workspace" in actions
    with ws.engine.begin() as conn:
        with pytest.raises(DatabaseError, match="append-only"):
            conn.exec_driver_sql("DELETE FROM audit")


def test_failed_write_rolls_back_everything(ws):
    with pytest.raises(IntegrityError):
        with ws.write("bad") as s:
            s.add(Theme(name="Orphan", parent_id=9999))  # foreign key violation
    with ws.session() as s:
        assert not s.exec(select(Theme).where(Theme.name == "Orphan")).first()


def _make_v1(path):
    """A workspace as schema version 1 wrote it: no passage flags, no saved searches."""
    w = Workspace.create(str(path), title="Old one")
    from annotator.core.evidence import tagging
    from annotator.core.ingest import import_file

    src = path.parent / "note.txt"
    src.write_text("The board discussed targets.\nPatient safety came second.\n", encoding="utf-8")
    res = import_file(w, str(src))
    tagging.tag(w, res.document_id, start=(0, 4), end=(0, 27), theme_ids=[1], note="kept")
    w.close()
    con = sqlite3.connect(path)
    con.executescript(
        """
        DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
        DROP TABLE saved_search;
        ALTER TABLE passage DROP COLUMN important;
        ALTER TABLE passage DROP COLUMN redact;
        PRAGMA user_version = 1;
        """
    )
    con.commit()
    con.close()


def test_older_schema_is_upgraded_after_a_backup_without_losing_rows(tmp_path):
    path = tmp_path / "old.annot"
    _make_v1(path)
    with Workspace.open(str(path), backup_dir=str(tmp_path)) as w:
        found, backup = w.upgraded_from
        assert found == 1 and os.path.exists(backup)
        with w.session() as s:
            p = s.exec(select(Passage)).one()
            assert p.note == "kept" and p.quote == "board discussed targets" and p.important is False
        with w.engine.connect() as conn:
            assert schema.user_version(conn) == schema.SCHEMA_VERSION
            hits = conn.exec_driver_sql(
                "SELECT count(*) FROM line_fts WHERE line_fts MATCH 'safety'"
            ).scalar()
            assert hits == 1
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    con.close()


def test_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "new.annot"
    Workspace.create(str(path)).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(SchemaTooNew, match="newer Annotator"):
        Workspace.open(str(path))


HOLDER = textwrap.dedent(
    """
    import sys, time
    from annotator.core.store.workspace import Workspace
    ws = Workspace.open(sys.argv[1])
    print("ready", flush=True)
    time.sleep(120)
    """
)


def test_second_writer_is_told_who_holds_it_and_may_read(tmp_path):
    path = tmp_path / "shared.annot"
    Workspace.create(str(path), title="Shared").close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WorkspaceLocked) as info:
            Workspace.open(str(path))
        assert str(holder.pid) in str(info.value) and "read-only" in str(info.value)
        with Workspace.open(str(path), readonly=True) as ro:
            assert ro.get("title") == "Shared"
            with pytest.raises(ReadOnlyWorkspace):
                ro.set("title", "changed")
        proc = run_cli("themes", path, "--add", "New", check=False)
        assert proc.returncode == 2 and "is open for writing by" in proc.stderr
        assert "Traceback" not in proc.stderr
    finally:
        holder.kill()
        holder.wait()
    # the holder died without closing: its lock is recovered
    with Workspace.open(str(path)) as w:
        w.set("title", "Mine now")


def test_not_a_workspace_is_refused(tmp_path):
    bogus = tmp_path / "x.annot"
    bogus.write_text("hello")
    proc = run_cli("info", bogus, check=False)
    assert proc.returncode == 2 and "not an Annotator workspace" in proc.stderr


def test_cli_new_info_themes(tmp_path):
    path = tmp_path / "x.annot"
    run_cli("new", path, "--title", "Keogh evidence")
    data = json.loads(run_cli("info", path, "--json").stdout)
    assert data["title"] == "Keogh evidence"
    assert [t["name"] for t in data["themes"]] == ["Targets", "Quality", "Safety", "Clinical leadership"]
    run_cli("themes", path, "--add", "Governance", "--colour", "#112233")
    rows = json.loads(run_cli("themes", path, "--json").stdout)
    gov = [t for t in rows if t["name"] == "Governance"][0]
    assert gov["colour"] == "#112233" and gov["builtin"] is False
    bad = run_cli("themes", path, "--add", "X", "--colour", "red", check=False)
    assert bad.returncode == 2 and "#RRGGBB" in bad.stderr
    again = run_cli("new", path, check=False)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_a_new_workspace_never_takes_up_a_stale_wal(tmp_path):
    from annotator.core.util.errors import WorkspaceError

    stale = tmp_path / "new.annot-wal"  # its workspace deleted by hand, the WAL left behind
    stale.write_bytes(b"frames of a workspace deleted by hand")
    with pytest.raises(WorkspaceError, match="new.annot-wal is left"):
        Workspace.create(str(tmp_path / "new.annot"))
    assert stale.read_bytes().startswith(b"frames")  # left for whoever wants it
    assert not (tmp_path / "new.annot").exists()


def test_demo_force_replaces_the_file_and_its_wal_but_not_under_another_process(tmp_path):
    from annotator.core.store.lock import WriterLock

    path = tmp_path / "demo.annot"
    run_cli("demo", path)
    (tmp_path / "demo.annot-wal").write_bytes(b"")
    held = WriterLock(str(path))
    held.acquire()  # as another window would
    try:
        busy = run_cli("demo", path, "--force", check=False)
        assert busy.returncode == 2 and "is open for writing by" in busy.stderr, busy.stderr
        assert path.exists() and (tmp_path / "demo.annot-wal").exists()
    finally:
        held.release()
    run_cli("demo", path, "--force")
    data = json.loads(run_cli("info", path, "--json").stdout)
    assert data["passages"] == 13


def test_author_setting_signs_changes_after_reopening(tmp_path):
    from annotator.core.store import settings as settings_mod

    path = str(tmp_path / "a.annot")
    ws = Workspace.create(path)
    settings_mod.apply(ws, {"author": "Bob Counsel"})
    ws.close()
    again = Workspace.open(path)
    try:
        assert again.author == "Bob Counsel"
    finally:
        again.close()
