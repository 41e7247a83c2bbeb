"""The team widgets on their own: the conflict review list and the sync indicator."""

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from annotator.gui.team.conflicts_panel import Conflict, ConflictsPanel, Version
from annotator.gui.team.sync_status import SyncIndicator, SyncState, describe
from annotator.gui.team.when import when_text

NOW = datetime(2026, 12, 3, 16, 30)


def test_times_read_as_people_write_them():
    assert when_text(None, NOW) == "never"
    assert when_text(NOW - timedelta(seconds=20), NOW) == "just now"
    assert when_text(NOW - timedelta(minutes=1, seconds=5), NOW) == "1 minute ago"
    assert when_text(NOW - timedelta(minutes=12), NOW) == "12 minutes ago"
    assert when_text(datetime(2026, 12, 3, 9, 5), NOW) == "today at 09:05"
    assert when_text(datetime(2026, 12, 2, 23, 59), NOW) == "yesterday at 23:59"
    assert when_text(datetime(2026, 11, 28, 14, 0), NOW) == "28 Nov at 14:00"
    assert when_text(datetime(2025, 11, 28, 14, 0), NOW) == "28 Nov 2025 at 14:00"


def test_indicator_says_mode_last_sync_pending_and_conflicts(qtbot):
    ind = SyncIndicator()
    qtbot.addWidget(ind)
    assert describe(SyncState(), NOW) == ("", "")
    short, tip = describe(SyncState("live", NOW - timedelta(minutes=3), pending=1, conflicts=2), NOW)
    assert short.endswith("Live · synced 3 minutes ago · 1 change to send · 2 conflicts")
    assert "within seconds" in tip
    state = SyncState(
        "offline", datetime(2026, 12, 2, 17, 5), pending=12, problem="The team server cannot be reached."
    )
    short, tip = describe(state, NOW)
    assert short.endswith("Offline · synced yesterday at 17:05 · 12 changes to send")
    assert tip.startswith("The team server cannot be reached. Changes made here are kept")
    short, tip = describe(SyncState("problem", NOW, problem="The server is newer."), NOW)
    assert short.endswith("Sync stopped: The server is newer. · synced just now")
    assert "Last successful sync: just now." in tip
    ind.show_state(SyncState("syncing"))
    assert ind.plain_text() == "Syncing…"
    with qtbot.waitSignal(ind.clicked, timeout=1000):
        qtbot.mouseClick(ind, Qt.LeftButton)


def _conflict(cid: int, mine: str, theirs: str) -> Conflict:
    return Conflict(
        cid,
        f"Note of passage {cid}",
        Version(mine, "alice", NOW - timedelta(minutes=5), "laptop-a"),
        Version(theirs, "bob", NOW - timedelta(minutes=2), "laptop-b"),
    )


def test_conflict_list_shows_both_versions_and_asks_to_keep_one(qtbot):
    panel = ConflictsPanel()
    qtbot.addWidget(panel)
    assert panel.summary.text().startswith("No conflicts")
    assert not panel.keep_mine.isEnabled()
    rows = [_conflict(7, "Targets drove the cuts.", "Finance drove the cuts."), _conflict(9, "a", "b")]
    panel.set_conflicts(rows)
    assert panel.summary.text().startswith("2 conflicts to review")
    assert panel.model.rowCount() == 2
    assert panel.mine.text.toPlainText() == "Targets drove the cuts."
    assert panel.theirs.text.toPlainText() == "Finance drove the cuts."
    assert panel.mine.byline.text().startswith("alice on laptop-a, ")
    assert panel.theirs.byline.text().startswith("bob on laptop-b, ")
    panel.view.selectRow(1)
    assert panel.mine.text.toPlainText() == "a"
    with qtbot.waitSignal(panel.resolve_requested, timeout=1000) as sig:
        panel.keep_both.click()
    assert sig.args == [9, "both"]
    # the list refreshes without the settled one; the selection stays on a remaining row
    panel.set_conflicts(rows[:1])
    assert panel.current_id() == 7
    panel.set_busy(True)
    assert not panel.keep_theirs.isEnabled()
    panel.set_busy(False)
    assert panel.keep_theirs.isEnabled()
