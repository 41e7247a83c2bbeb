"""Settings in two homes: the workspace's and the user's config folder; the CLI sets both."""

import json
import subprocess
import sys

import pytest

from annotator.core.ingest import import_file
from annotator.core.store import backups, settings, user_config
from annotator.core.store.watch import CommitWatch
from annotator.core.store.workspace import Workspace
from annotator.core.util.errors import InvalidInput
from helpers import run_cli


def test_every_setting_declares_its_home_and_reads_back_typed(ws):
    assert {s.scope for s in settings.SETTINGS.values()} == {settings.WORKSPACE, settings.USER}
    stored = settings.apply(ws, {"backup_keep": "3", "reopen_last": "no", "export_notes": "off"})
    assert stored == {"backup_keep": 3, "reopen_last": False, "export_notes": False}
    assert user_config.load() == {"backup_keep": 3, "reopen_last": False}
    assert ws.get("export_notes") is False and ws.get("backup_keep") == 3
    with pytest.raises(InvalidInput, match="from 50 to 300"):
        settings.apply(ws, {"interface_scale": 20})
    with pytest.raises(InvalidInput, match="open a workspace"):
        settings.apply(None, {"urn_pattern": "ABC\\d+"})
    with open(user_config.path(), "w") as fh:
        fh.write("{not json")  # a damaged file
    assert settings.user_value("backup_keep") == 10  # defaults, nothing raised


def test_your_name_signs_before_the_workspaces_own_and_the_login(ws):
    assert ws.author == ws.user
    ws.set("author", "Replica login")  # what `team join` stores
    assert ws.author == "Replica login"
    settings.apply(ws, {"author": "Ada Counsel"})
    assert ws.author == "Ada Counsel"  # yours wins once set, in every workspace


def test_backups_keep_the_users_count(ws):
    settings.apply(None, {"backup_keep": 2})
    for i in range(4):
        ws.set("inquiry", f"change {i}")
        backups.make(ws, "auto")
    assert len(backups.list_backups(ws.path, counts=False)) == 2


def test_the_command_line_shows_and_sets_both_kinds(tmp_path):
    path = tmp_path / "w.annot"
    run_cli("new", path)
    mine = json.loads(run_cli("settings", "--author", "KC", "--backup-keep", "4", "--json").stdout)
    assert (mine["author"], mine["backup_keep"]) == ("KC", 4) and "urn_pattern" not in mine
    assert json.loads(open(user_config.path()).read())["author"] == "KC"  # the config folder
    out = run_cli("settings", path, "--export-format", "csv").stdout
    assert "export_format: csv  [workspace]" in out and "author: KC  [user]" in out
    refused = run_cli("settings", "--citation-style", "long", check=False)
    assert refused.returncode == 2 and "Name the workspace" in refused.stderr


def test_a_commit_by_another_process_is_noticed(ws, tmp_path):
    text = tmp_path / "note.txt"
    text.write_text("A short note about the ward.\n", encoding="utf-8")
    doc = import_file(ws, str(text)).document_id
    ws.close()
    reader = Workspace.open(ws.path, readonly=True)
    watch = CommitWatch(reader.path)
    try:
        assert not watch.changed()  # the first look only takes note
        assert not watch.changed()
        code = (
            "import sys; from annotator.core.store.workspace import Workspace; "
            "from annotator.core.evidence import tagging; w = Workspace.open(sys.argv[1]); "
            f"tagging.tag(w, {doc}, start=(0, 0), end=(0, 7)); w.close()"
        )
        subprocess.run([sys.executable, "-c", code, ws.path], check=True, timeout=120)
        assert watch.changed() and not watch.changed()
    finally:
        watch.close()
        reader.close()
