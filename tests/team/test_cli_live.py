"""The team commands end to end, the status API and LISTEN/NOTIFY."""

import json
import threading

from annotator.cli import run
from annotator.core.evidence import tagging
from annotator.core.team import live
from annotator.core.team.sync import sync
from util import PW, passage_id, same, tag


def _json(capsys, *argv) -> object:
    assert run([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_publish_join_sync_conflicts_resolve(demo_file, db, tmp_path, capsys, monkeypatch):
    import shutil

    a, b = str(tmp_path / "a.annot"), str(tmp_path / "b.annot")
    shutil.copyfile(demo_file, a)
    assert _json(capsys, "team", "publish", a, db)["pushed"] > 0
    assert _json(capsys, "team", "join", db, b)["workspace"] == b
    monkeypatch.setenv("ANNOTATOR_PASSWORD", PW)
    assert _json(capsys, "sync", b) == {"pushed": 0, "pulled": 0, "conflicts": 0}
    first = _json(capsys, "passages", a)[0]
    pid_b = next(p["id"] for p in _json(capsys, "passages", b) if p["quote"] == first["quote"])
    assert run(["edit", a, str(first["id"]), "--note", "from A"]) == 0
    assert run(["edit", b, str(pid_b), "--note", "from B"]) == 0
    capsys.readouterr()
    assert _json(capsys, "sync", a)["pushed"] >= 1
    assert _json(capsys, "sync", b)["conflicts"] == 1
    status = _json(capsys, "team", "status", b)
    assert status["team"] and status["reachable"] is True and status["last_sync"] and status["conflicts"] == 1
    [c] = _json(capsys, "conflicts", b)
    assert (c["mine"]["note"], c["theirs"]["note"]) == ("from B", "from A")
    assert run(["resolve", b, str(c["id"]), "--keep", "mine"]) == 0
    assert "kept mine" in capsys.readouterr().out
    assert _json(capsys, "conflicts", b) == []
    assert _json(capsys, "sync", b)["pushed"] >= 1
    _json(capsys, "sync", a)
    assert next(p for p in _json(capsys, "passages", a) if p["id"] == first["id"])["note"] == "from B"
    # a wrong password: one sentence, exit 2
    monkeypatch.setenv("ANNOTATOR_PASSWORD", "wrong")
    assert run(["sync", b]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the password" in err


def test_listen_wakes_on_another_laptops_change(team):
    a, b = team
    status = live.status(b)
    assert status.team and status.pending == 0 and status.conflicts == 0
    with live.Listener(b, PW) as listener:
        sync(b, PW)  # its own push: not news
        assert listener.wait(0.5) is False
        woke = []
        t = threading.Thread(target=lambda: woke.append(listener.wait(20)))
        t.start()
        tag(a, 60, "live news")
        sync(a, PW)
        t.join()
    assert woke == [True]
    assert sync(b, PW).pulled >= 1
    assert "live news" in str(same(a, b)["passage"])


def test_status_counts_pending_and_conflicts(team):
    a, b = team
    uid = next(iter(same(a, b)["passage"]))
    tagging.set_note(a, passage_id(a, uid), "one")
    tagging.set_note(b, passage_id(b, uid), "two")
    assert live.status(b).pending >= 1
    sync(a, PW)
    sync(b, PW)
    st = live.status(b)
    assert st.pending == 0 and st.conflicts == 1 and st.reachable


def test_sync_of_a_workspace_that_is_not_a_replica(tmp_path, capsys):
    path = str(tmp_path / "alone.annot")
    assert run(["new", path]) == 0
    capsys.readouterr()
    assert run(["sync", path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a team workspace" in err
    assert _json(capsys, "team", "status", path)["team"] is False
