"""Two windows on two replicas of one team workspace, against a real PostgreSQL server."""

import shutil
from urllib.parse import urlsplit

import pytest

from annotator.core.library import documents

from annotator.core.evidence import passages, tagging, themes
from annotator.core.team import replica
from annotator.core.store.workspace import Workspace
from annotator.gui.main_window import MainWindow


@pytest.fixture
def replicas(demo_file, db, tmp_path):
    """The demo published to a fresh database (replica A) and joined from a second laptop (B)."""
    a, b = tmp_path / "a.annot", tmp_path / "b.annot"
    shutil.copyfile(demo_file, a)
    ws = Workspace.open(str(a))
    try:
        replica.publish(ws, db)
    finally:
        ws.close()
    replica.join(db, str(b)).close()
    return str(a), str(b)


def _window(qtbot, path: str, password: str = "", first: str = "sync") -> MainWindow:
    """A window on a workspace; `first`: what its opening brings — "sync" (answered),
    "failure" (sync refused or the server unreachable) or "nothing" (not a team workspace)."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.team.service.set_password(path, password)
    if first == "sync":
        with qtbot.waitSignal(win.team.service.synced, timeout=20000):
            assert win.open_path(path)
        qtbot.waitUntil(lambda: not win.reading.passages.loads.pending, timeout=10000)
        return win
    assert win.open_path(path)
    if first == "failure":
        qtbot.waitUntil(lambda: win.team.service.state.mode in ("problem", "offline"), timeout=20000)
    return win


def _quotes(win) -> list[str]:
    return [v.quote for v in win.reading.passages.table.rows]


def _theme_count(win, name: str) -> int:
    tree = win.themes.tree
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0) == name:
            return int(tree.topLevelItem(i).text(2))
    raise AssertionError(name)


def test_a_passage_tagged_in_one_window_shows_in_the_other(qtbot, replicas, pg):
    a, b = (_window(qtbot, p, pg.password) for p in replicas)
    try:
        assert a.team.indicator.plain_text().startswith("Live · synced just now")
        assert not a.team.toolbar.isHidden()
        # the listener of B is up once B's first sync is answered: B pulls when A pushes
        qtbot.waitUntil(lambda: b.team.service.state.mode == "live", timeout=10000)
        with a.ctx.ws.session() as s:
            doc = documents.find(s, "MSF0000045").id
            safety = themes.find(s, "Safety").id
        before = len(_quotes(b))
        reader_b = b.open_document(doc)  # its highlights must show the new passage too
        marks_before = len(reader_b.model.marks)
        safety_before = _theme_count(b, "Safety")
        a.ctx.run(tagging.tag, doc, theme_ids=[safety], note="From laptop A", start=(0, 0), end=(0, 40))
        assert "to send" in a.team.indicator.plain_text()  # the passage (and its audit row)
        # no click anywhere: A pushes a moment after the change, the server notifies B, B pulls
        with qtbot.waitSignal(b.team.service.synced, timeout=20000, check_params_cb=lambda r: r.pulled > 0):
            pass
        qtbot.waitUntil(lambda: len(_quotes(b)) == before + 1, timeout=10000)
        with b.ctx.ws.session() as s:
            notes = [v.note for v in passages.views(s)]
        assert "From laptop A" in notes
        assert len(reader_b.model.marks) == marks_before + 1
        assert _theme_count(b, "Safety") == safety_before + 1
        assert b.team.indicator.plain_text().startswith("Live · synced just now")
        assert "change" not in a.team.indicator.plain_text()  # nothing left to send
    finally:
        a.close()
        b.close()


def test_a_conflict_is_listed_and_settled_from_the_review_list(qtbot, replicas, pg):
    a, b = (_window(qtbot, p, pg.password) for p in replicas)
    try:
        # both laptops go offline (no automatic sync) and edit the same note
        for win in (a, b):
            win.team.service.stop()
        with a.ctx.ws.session() as s:
            pid_a = passages.views(s)[0].id
            quote = passages.views(s)[0].quote
        with b.ctx.ws.session() as s:
            pid_b = next(v.id for v in passages.views(s) if v.quote == quote)
        a.ctx.run(tagging.set_note, pid_a, "A says: targets came first.")
        b.ctx.run(tagging.set_note, pid_b, "B says: money came first.")
        with qtbot.waitSignal(a.team.service.synced, timeout=20000):
            a.team.sync_action.trigger()
        with qtbot.waitSignal(b.team.service.synced, timeout=20000) as got:
            b.team.sync_action.trigger()
        assert got.args[0].new_conflicts == 1
        panel = b.team.panel
        assert panel.model.rowCount() == 1
        assert "1 conflict" in b.team.indicator.plain_text()
        b.team.conflicts_action.trigger()
        assert b.team.dock.isVisible()
        assert panel.mine.text.toPlainText() == "B says: money came first."
        assert panel.theirs.text.toPlainText() == "A says: targets came first."
        assert panel.current().what.startswith("Passage “")
        with qtbot.waitSignal(b.team.service.synced, timeout=20000):
            panel.keep_both.click()  # settles locally, then syncs so A gets it
        assert panel.model.rowCount() == 0
        assert panel.summary.text().startswith("No conflicts")
        with b.ctx.ws.session() as s:
            note = next(v.note for v in passages.views(s) if v.id == pid_b)
        assert "A says: targets came first." in note and "B says: money came first." in note
        assert b.reading.details is not None
        with qtbot.waitSignal(a.team.service.synced, timeout=20000):
            a.team.sync_action.trigger()
        with a.ctx.ws.session() as s:
            assert next(v.note for v in passages.views(s) if v.id == pid_a) == note
    finally:
        a.close()
        b.close()


def test_wrong_password_says_so_and_the_next_sync_asks_for_it(qtbot, replicas, pg, monkeypatch):
    win = _window(qtbot, replicas[0], "not the password", first="failure")
    try:
        assert win.team.service.state.mode == "problem"
        line = win.team.indicator.plain_text()
        assert line.startswith("Sync stopped: The team server ") and "refused the password" in line
        monkeypatch.setattr(
            "annotator.gui.team.team_ui.QInputDialog.getText", lambda *a, **k: (pg.password, True)
        )
        with qtbot.waitSignal(win.team.service.synced, timeout=20000):
            win.team.sync_action.trigger()
        assert win.team.service.state.mode in ("live", "online")
    finally:
        win.close()


def test_unreachable_server_keeps_work_going_and_says_when_sync_last_worked(qtbot, replicas, pg):
    from annotator.core.team import local

    path = replicas[1]
    ws = Workspace.open(path)
    try:
        with local.transaction(ws) as raw:  # the laptop is on a train: its server is nowhere
            local.put(raw, "url", f"postgresql://postgres@/x?host={pg.root}/gone")
    finally:
        ws.close()
    win = _window(qtbot, path, pg.password, first="failure")
    try:
        assert win.team.service.state.mode == "offline"
        line = win.team.indicator.plain_text()
        assert line.startswith("Offline · synced just now"), line  # the join was the last sync
        tip = win.team.indicator.toolTip()
        assert "cannot be reached; work goes on here and the last successful sync was just now." in tip
        with win.ctx.ws.session() as s:
            doc = documents.find(s, "MSF0000045").id
        win.ctx.run(tagging.tag, doc, note="Written offline", start=(0, 0), end=(0, 20))
        qtbot.waitUntil(lambda: "changes to send" in win.team.indicator.plain_text(), timeout=5000)
    finally:
        win.close()


def test_a_newer_server_schema_stops_sync_with_one_sentence(qtbot, replicas, db, pg):
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE annotator_meta SET value = '999' WHERE key = 'schema'")
    win = _window(qtbot, replicas[1], pg.password, first="failure")
    try:
        assert win.team.service.state.mode == "problem"
        line = win.team.indicator.plain_text()
        assert line.startswith("Sync stopped: The team server ") and "newer Annotator" in line
        assert "Last successful sync: just now." in win.team.indicator.toolTip()  # when it joined
    finally:
        win.close()


def test_publish_then_join_from_the_window(qtbot, demo_file, db, pg, tmp_path, monkeypatch):
    from annotator.core.team.server import connect
    from annotator.gui.team import team_ui

    path = tmp_path / "mine.annot"
    shutil.copyfile(demo_file, path)
    win = _window(qtbot, str(path), first="nothing")  # not a team workspace yet: no sync
    assert win.team.toolbar.isHidden() and not win.team.indicator.isVisible()
    plain = connect.strip_password(db)  # the address a person types; the password goes in its own box

    def fill_publish(dialog):
        dialog.url.setText("mysql://nowhere/x")
        dialog._accept()
        assert dialog.problem.text().startswith("The address must start with postgresql://")
        dialog.url.setText(plain)
        dialog.password.setText(pg.password)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(team_ui.PublishDialog, "exec", fill_publish)
    with qtbot.waitSignal(win.team.service.synced, timeout=30000):
        win.team.publish_action.trigger()
    assert win.team.service.state.mode in ("live", "online")
    assert not win.team.publish_action.isEnabled()  # already a replica

    target = tmp_path / "joined.annot"

    def fill_join(dialog):
        dialog.url.setText(plain)
        dialog.password.setText(pg.password)
        dialog.path.setText(str(target))
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(team_ui.JoinDialog, "exec", fill_join)
    with qtbot.waitSignal(win.team.service.synced, timeout=30000):
        win.team.join_action.trigger()
    try:
        assert win.ctx.ws.path == str(target)
        qtbot.waitUntil(lambda: not win.reading.passages.loads.pending, timeout=10000)
        assert len(win.reading.passages.table.rows) > 0
        assert win.team.service.state.mode in ("live", "online")
    finally:
        win.close()


def test_who_sees_a_passage_is_chosen_in_its_details(qtbot, demo_file, db, pg, tmp_path):
    from annotator.core.team import audience

    owner = tmp_path / "owner.annot"
    shutil.copyfile(demo_file, owner)
    ws = Workspace.open(str(owner))
    try:
        replica.publish(ws, db)
    finally:
        ws.close()
    for name in ("alice", "bob"):
        audience.add_user(db, name, f"{name}-pw")
    plain = pg.url(urlsplit(db).path.strip("/"))  # no password in it: each login gives its own
    paths = {}
    for name in ("alice", "bob"):
        paths[name] = str(tmp_path / f"{name}.annot")
        replica.join(plain, paths[name], name, f"{name}-pw").close()
    alice, bob = (_window(qtbot, paths[n], f"{n}-pw") for n in ("alice", "bob"))
    try:
        qtbot.waitUntil(lambda: bob.team.service.state.mode == "live", timeout=10000)
        with alice.ctx.ws.session() as s:
            doc = documents.find(s, "MSF0000045").id
        pid = alice.ctx.run(
            tagging.tag, doc, note="Alice's private thought", start=(0, 0), end=(0, 30)
        ).result
        details = alice.reading.details
        details.show_passage(pid)
        box = details.audience
        assert box.isVisible() and box.currentData() == "workspace"
        box.setCurrentIndex(box.findData("me"))  # as a person picks it
        assert audience.get(alice.ctx.ws, pid) == "me"
        with qtbot.waitSignal(alice.team.service.synced, timeout=20000):
            alice.team.sync_action.trigger()
        with qtbot.waitSignal(bob.team.service.synced, timeout=20000):
            bob.team.sync_action.trigger()
        with bob.ctx.ws.session() as s:
            assert "Alice's private thought" not in [v.note for v in passages.views(s)]
        box.setCurrentIndex(box.findData("workspace"))
        with qtbot.waitSignal(bob.team.service.synced, timeout=20000, check_params_cb=lambda r: r.pulled > 0):
            pass  # alice pushes after the change; the server tells bob
        with bob.ctx.ws.session() as s:
            assert "Alice's private thought" in [v.note for v in passages.views(s)]
    finally:
        alice.close()
        bob.close()


def test_sync_asked_for_while_one_runs_comes_after_it_never_beside_it(qtbot, replicas, pg):
    win = _window(qtbot, replicas[0], pg.password)
    try:
        service, answers = win.team.service, []
        service.synced.connect(answers.append)
        win.team.sync_action.trigger()
        assert not win.team.sync_action.isEnabled()  # "Syncing…": the action waits
        win.team.indicator.clicked.emit()  # a click on the status line meanwhile
        win.team.indicator.clicked.emit()
        assert list(service.jobs.values()) == ["sync"]  # one running, the next remembered
        qtbot.waitUntil(lambda: len(answers) == 2 and not service.jobs, timeout=20000)
        assert win.team.sync_action.isEnabled()
    finally:
        win.close()
