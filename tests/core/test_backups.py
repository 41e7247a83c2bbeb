import json
import os
import stat

import pytest
from sqlmodel import select

from annotator.core.store import backups

from annotator.core.evidence import tagging
from annotator.core.util.errors import InvalidInput, ReadOnlyWorkspace
from annotator.core.store.models import Passage
from annotator.core.store.workspace import Workspace
from helpers import run_cli


def _notes(ws) -> dict[int, str]:
    with ws.session() as s:
        return {p.id: p.note for p in s.exec(select(Passage).where(Passage.deleted_at.is_(None)))}


def test_backup_is_a_whole_private_copy_beside_the_workspace(demo_ws):
    info = backups.make(demo_ws, "manual")
    assert os.path.dirname(info.path) == demo_ws.path + "-backups"
    assert stat.S_IMODE(os.stat(info.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(info.path)).st_mode) == 0o700
    assert (info.documents, info.passages) == (2, 13)
    assert not [f for f in os.listdir(os.path.dirname(info.path)) if not f.endswith(".annot")]
    with Workspace.open(info.path, readonly=True) as copy:
        assert _notes(copy) == _notes(demo_ws)


def test_restore_brings_back_the_backup_and_keeps_the_state_before(demo_ws):
    wanted = _notes(demo_ws)
    backup = backups.make(demo_ws, "manual")
    pid = next(iter(wanted))
    tagging.delete_passage(demo_ws, pid)
    tagging.set_note(demo_ws, next(p for p in wanted if p != pid), "changed after the backup")
    changed = _notes(demo_ws)
    ws, before = backups.restore(demo_ws, backup.path)
    try:
        assert _notes(ws) == wanted
        assert before.reason == "before-restore" and before.passages == 12
        with Workspace.open(before.path, readonly=True) as old:
            assert _notes(old) == changed
        from safety_checks import integrity

        ws.close()
        assert integrity(ws.path)["live_passages"] == len(wanted)
    finally:
        ws.close()


def test_only_the_newest_backups_are_kept(ws):
    ws.set("backup_keep", 3)
    made = []
    for i in range(5):
        ws.set("inquiry", f"change {i}")
        made.append(backups.make(ws, "auto").path)
    left = [b.path for b in backups.list_backups(ws.path)]
    assert left == made[:-4:-1]


def test_backups_on_open_and_periodically_only_after_changes(ws):
    assert backups.on_open(ws) is not None
    assert backups.on_open(ws) is None  # nothing changed since
    now = [0.0]
    sched = backups.Schedule(ws, clock=lambda: now[0])
    now[0] = 11 * 60
    assert not sched.due()  # time has passed, but nothing changed
    ws.set("inquiry", "a change")
    now[0] = 12 * 60
    assert sched.due()
    sched.run()
    ws.set("inquiry", "another")
    now[0] = 15 * 60
    assert not sched.due()  # changed, but the last backup is only 3 minutes old
    now[0] = 23 * 60
    assert sched.due()


def test_restore_refuses_a_damaged_file_and_read_only_workspaces(ws, tmp_path):
    bad = tmp_path / "bad.annot"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    with pytest.raises(InvalidInput):
        backups.restore(ws, str(bad))
    info = backups.make(ws)
    path = ws.path
    ws.close()
    with Workspace.open(path, readonly=True) as ro:
        with pytest.raises(ReadOnlyWorkspace):
            backups.restore(ro, info.path)


def test_cli_lists_and_restores_after_confirmation(demo_file, tmp_path):
    import shutil

    path = tmp_path / "w.annot"
    shutil.copyfile(demo_file, path)
    run_cli("backup", path)
    run_cli("themes", path, "--add", "Governance")  # a write command after the backup
    listed = json.loads(run_cli("backups", path, "--json").stdout)["backups"]
    assert len(listed) == 1 and listed[0]["passages"] == 13
    refused = run_cli("restore", path, "1", check=False, input="n\n")
    assert refused.returncode == 1 and "Nothing was changed" in refused.stdout
    assert "Governance" in run_cli("themes", path).stdout
    done = run_cli("restore", path, listed[0]["file"], input="y\n")
    assert "Restored" in done.stdout
    assert "Governance" not in run_cli("themes", path).stdout
    listed = json.loads(run_cli("backups", path, "--json").stdout)["backups"]
    assert [b["reason"] for b in listed][0] == "before-restore"
    missing = run_cli("restore", path, "nope.annot", "--yes", check=False)
    assert missing.returncode == 2 and "No backup called" in missing.stderr
