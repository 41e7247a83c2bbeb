"""Bad conditions: each one clear sentence, and nothing lost."""

import os
import shutil
import subprocess
import sys

import psycopg
import pytest

from annotator.core.evidence import tagging, theme_ops
from annotator.core.util.errors import SchemaTooNew
from annotator.core.team import live, local, replica
from annotator.core.team.server import connect
from annotator.core.team.dump import canonical
from annotator.core.team.lock import SyncBusy, SyncLock
from annotator.core.team.sync import sync
from annotator.core.store.workspace import Workspace
from util import PW, passage_id, same, tag


def _set_url(ws, url):
    with local.transaction(ws) as raw:
        local.put(raw, "url", url)


def test_unreachable_server_keeps_work_and_says_when_it_last_synced(team):
    a, b = team
    url = live.status(a).url
    last = live.status(a).last_sync
    tag(a, 7, "written on the train")
    pending = live.status(a).pending
    _set_url(a, url.replace("host=", "host=/nonexistent"))
    with pytest.raises(connect.Unreachable) as err:
        sync(a, PW)
    assert "cannot be reached" in str(err.value) and last in str(err.value)
    st = live.status(a)
    assert st.pending == pending and st.reachable is False and st.last_sync == last
    _set_url(a, url)
    assert sync(a, PW).pushed >= 1
    assert live.status(a).reachable is True and live.status(a).pending == 0
    sync(b, PW)
    assert "written on the train" in str(canonical(b)["passage"])


def test_wrong_password(team):
    a, _b = team
    tag(a, 7, "kept")
    with pytest.raises(connect.WrongPassword, match="refused the password for postgres"):
        sync(a, "not-the-password")
    assert live.status(a).pending > 0 and "refused the password" in live.status(a).last_error


def test_newer_server_schema_is_refused(team, db, tmp_path):
    a, _b = team
    with psycopg.connect(db) as conn:
        conn.execute("UPDATE annotator_meta SET value = '99' WHERE key = 'schema'")
    tag(a, 7, "kept")
    with pytest.raises(SchemaTooNew, match="newer Annotator"):
        sync(a, PW)
    with pytest.raises(SchemaTooNew):
        replica.join(db, str(tmp_path / "late.annot"))
    assert not os.path.exists(tmp_path / "late.annot")
    assert live.status(a).pending > 0


def test_two_syncs_at_once(team):
    a, _b = team
    with SyncLock(a.path):
        with pytest.raises(SyncBusy, match="already running"):
            sync(a, PW)
    sync(a, PW)


def test_replica_restored_from_old_backup(team, tmp_path):
    a, b = team
    uids = sorted(same(a, b)["passage"])
    gone, edited = uids[0], uids[1]
    tagging.set_note(a, passage_id(a, edited), "first thought")  # in the backup, not yet sent
    backup = a.backup(str(tmp_path / "old.annot"))
    sync(a, PW)
    tagging.delete_passage(a, passage_id(a, gone))
    tagging.set_note(a, passage_id(a, edited), "second thought")
    doomed = theme_ops.add(a, "Short-lived").result
    sync(a, PW)
    theme_ops.delete(a, doomed)
    sync(a, PW)
    sync(b, PW)
    path = a.path
    a.close()
    shutil.copyfile(backup, path)
    for extra in ("-wal", "-shm"):
        if os.path.exists(path + extra):
            os.unlink(path + extra)
    old = Workspace.open(path)
    try:
        assert sync(old, PW).conflicts == 0
        dump = same(old, b)
        assert dump["passage"][gone]["deleted_at"] is not None  # not resurrected
        assert dump["passage"][edited]["note"] == "second thought"  # no stale edit over the newer one
        assert not any(t["name"] == "Short-lived" for t in dump["theme"].values())
    finally:
        old.close()


CHILD = (
    "import resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "from annotator.cli import run\n"
    "sys.exit(run(sys.argv[2:]))\n"
)


def test_disk_full_during_pull(team):
    a, b = team
    for i in range(400):
        tag(a, i % 900, f"long note {i} " + "evidence " * 200)
    sync(a, PW)
    path = b.path
    b.close()
    b_before = Workspace.open(path)
    before = canonical(b_before)
    b_before.close()
    limit = os.path.getsize(path) + 200 * 1024
    env = {**os.environ, "ANNOTATOR_PASSWORD": PW}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(limit), "sync", path],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 4, proc.stderr
    assert "disk filled up during the pull" in proc.stderr and proc.stderr.count("\n") == 1
    again = Workspace.open(path)
    try:
        assert canonical(again) == before
        assert sync(again, PW).pulled >= 400
        sync(a, PW)
        same(again, a)
    finally:
        again.close()
