"""File > Team > Users and teams: the owner adds a user and puts users in a team from the
window; the server's roles change as `annotator team users ...` would change them."""

import shutil

from annotator.core.store.workspace import Workspace
from annotator.core.team import audience, replica
from annotator.gui.main_window import MainWindow
from util import PW


def test_owner_manages_users_and_teams_from_the_window(qtbot, demo_file, db, tmp_path):
    path = str(tmp_path / "a.annot")
    shutil.copyfile(demo_file, path)
    ws = Workspace.open(path)
    try:
        replica.publish(ws, db)
    finally:
        ws.close()
    audience.add_user(db, "carol", "carol-pw")
    win = MainWindow()
    qtbot.addWidget(win)
    win.team.service.set_password(path, PW)
    with qtbot.waitSignal(win.team.service.synced, timeout=20000):
        assert win.open_path(path)
    assert win.team.users_action in win.team.menu.actions()
    dialog = win.team.users()
    assert dialog.url.text().startswith("postgresql://") and dialog.user.text()  # the replica's server
    # a wrong password: one sentence, nothing changed
    dialog.password.setText("not it")
    dialog.load_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20000)
    assert "password" in dialog.problem.text() and dialog.table.rowCount() == 0
    dialog.password.setText(PW)
    dialog.load_button.click()
    qtbot.waitUntil(lambda: "carol" in dialog.rows(), timeout=20000)
    assert dialog.rows()["carol"] == "—"
    dialog.new_name.setText("dora")
    dialog.add_button.click()  # no password for her: refused before anything is sent
    assert "needs a name and a password" in dialog.problem.text()
    dialog.new_password.setText("dora-pw")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "dora" in dialog.rows(), timeout=20000)
    for row in range(dialog.table.rowCount()):
        if dialog.table.item(row, 0).text() in ("carol", "dora"):
            dialog.table.item(row, 0).setSelected(True)
    dialog.team.setCurrentText("green")
    dialog.team_button.click()
    qtbot.waitUntil(lambda: dialog.rows().get("dora") == "green", timeout=20000)
    assert dialog.rows()["carol"] == "green"
    assert {r["user"]: r["teams"] for r in audience.listing(db)}["dora"] == ["green"]
    # dora can log in with the password given in the dialog
    replica.join(
        db.replace(db.split("://", 1)[1].split("@", 1)[0], "dora:dora-pw"), str(tmp_path / "d.annot")
    ).close()
    dialog.close()
