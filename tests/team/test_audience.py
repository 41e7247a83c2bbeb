"""Who sees what: enforced by the server (roles and row-level security), not by the client."""

from urllib.parse import urlsplit

import psycopg
import pytest

from annotator.core.evidence import tagging
from annotator.core.team import audience, replica
from annotator.core.team.sync import sync
from util import tag


@pytest.fixture
def teams(demo_ws, db, pg, tmp_path):
    replica.publish(demo_ws, db)
    for name in ("alice", "bob", "carol"):
        audience.add_user(db, name, f"{name}-pw")
    audience.add_to_team(db, "red", ["alice", "carol"])
    audience.add_to_team(db, "blue", ["bob"])
    alice = replica.join(_url(pg, db, "alice"), str(tmp_path / "alice.annot"))
    yield db, pg, alice, tmp_path
    alice.close()


def _url(pg, db, user):
    return pg.url(urlsplit(db).path.lstrip("/"), user, f"{user}-pw")


def _notes(pg, db, user) -> str:
    """Everything this login can read with plain SQL, as one text."""
    with psycopg.connect(_url(pg, db, user)) as conn:
        notes = [r[0] for r in conn.execute("SELECT note FROM passage")]
        audit = [r[0] for r in conn.execute("SELECT details FROM audit")]
    return "\n".join(notes + audit)


def test_private_note_unreadable_with_another_teams_login(teams):
    db, pg, alice, tmp_path = teams
    mine = tag(alice, 5, "for my eyes only")
    audience.set_audience(alice, mine, "me")
    ours = tag(alice, 30, "")
    audience.set_audience(alice, ours, "team")
    tagging.set_note(alice, ours, "red team working theory")
    tagging.set_note(alice, mine, "alice private thought")
    sync(alice, "alice-pw")
    bob_sees, carol_sees, alice_sees = (_notes(pg, db, u) for u in ("bob", "carol", "alice"))
    assert "alice private thought" in alice_sees and "red team working theory" in alice_sees
    assert "red team working theory" in carol_sees and "alice private thought" not in carol_sees
    assert "red team working theory" not in bob_sees and "alice private thought" not in bob_sees
    assert "for my eyes only" not in bob_sees + carol_sees
    # the owner's admin login is the workspace's owner and sees everything
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM passage WHERE audience <> 'workspace'").fetchone()[0] == 2
    # bob's replica never receives them; carol's gets the team one
    bob = replica.join(_url(pg, db, "bob"), str(tmp_path / "bob.annot"), password="bob-pw")
    carol = replica.join(_url(pg, db, "carol"), str(tmp_path / "carol.annot"), password="carol-pw")
    try:
        with bob.engine.connect() as c:
            assert (
                c.exec_driver_sql(
                    "SELECT count(*) FROM passage WHERE note LIKE '%alice%' OR note LIKE '%red team%'"
                ).scalar()
                == 0
            )
        with carol.engine.connect() as c:
            assert (
                c.exec_driver_sql("SELECT note FROM passage WHERE note LIKE '%red team%'").scalar()
                == "red team working theory"
            )
            assert c.exec_driver_sql("SELECT count(*) FROM passage WHERE note LIKE '%private%'").scalar() == 0
        # a plain SQL client cannot widen it either: bob's UPDATE touches no row
        with psycopg.connect(_url(pg, db, "bob")) as conn:
            assert (
                conn.execute("UPDATE passage SET audience = 'workspace' WHERE audience = 'me'").rowcount == 0
            )
        # only the owner changes who sees it: carol's attempt becomes a conflict, alice's choice stays
        pid = (
            carol.engine.connect()
            .exec_driver_sql("SELECT id FROM passage WHERE note LIKE '%red team%'")
            .scalar()
        )
        audience.set_audience(carol, pid, "workspace")
        assert sync(carol, "carol-pw").conflicts == 1
        assert audience.get(carol, pid) == "team"
    finally:
        bob.close()
        carol.close()


def test_users_and_teams_listed(teams):
    db, *_ = teams
    rows = {r["user"]: r["teams"] for r in audience.listing(db)}
    assert rows["alice"] == ["red"] and rows["bob"] == ["blue"] and rows["carol"] == ["red"]


def _has(ws, words: str) -> int:
    with ws.engine.connect() as c:
        return c.exec_driver_sql(
            "SELECT count(*) FROM passage p JOIN passage_fts f ON f.rowid = p.id WHERE p.note = ? "
            "AND passage_fts MATCH ?",
            (words, '"' + words + '"'),
        ).scalar()


def test_narrowing_retracts_copies_already_pulled(teams):
    """A passage everyone had, narrowed to 'only me' by its owner: the next pull of every
    other login drops its copy (and its search entry); the owner keeps it; widening brings it back."""
    db, pg, alice, tmp_path = teams
    pid = tag(alice, 5, "shared at first")
    sync(alice, "alice-pw")
    bob = replica.join(_url(pg, db, "bob"), str(tmp_path / "bob.annot"), password="bob-pw")
    carol = replica.join(_url(pg, db, "carol"), str(tmp_path / "carol.annot"), password="carol-pw")
    try:
        assert _has(bob, "shared at first") == _has(carol, "shared at first") == 1
        audience.set_audience(alice, pid, "team")  # red: alice and carol
        sync(alice, "alice-pw")
        assert sync(bob, "bob-pw").pulled >= 1 and _has(bob, "shared at first") == 0
        sync(carol, "carol-pw")
        assert _has(carol, "shared at first") == 1
        audience.set_audience(alice, pid, "me")
        sync(alice, "alice-pw")
        sync(carol, "carol-pw")
        assert _has(carol, "shared at first") == 0 and _has(alice, "shared at first") == 1
        sync(bob, "bob-pw")  # nothing comes back, nothing is sent
        assert _has(bob, "shared at first") == 0
        with bob.engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() == 0
        audience.set_audience(alice, pid, "workspace")
        sync(alice, "alice-pw")
        sync(bob, "bob-pw")
        assert _has(bob, "shared at first") == 1
    finally:
        bob.close()
        carol.close()


def test_edit_of_a_passage_narrowed_meanwhile_is_kept_as_a_conflict(teams):
    """Bob edits offline a passage that alice meanwhile made private: his sync drops the copy,
    lists his edit as a conflict, and 'keep mine' makes it a private passage of his own."""
    db, pg, alice, tmp_path = teams
    pid = tag(alice, 5, "alice's words")
    sync(alice, "alice-pw")
    bob = replica.join(_url(pg, db, "bob"), str(tmp_path / "bob.annot"), password="bob-pw")
    try:
        bpid = (
            bob.engine.connect()
            .exec_driver_sql("SELECT id FROM passage WHERE note = ?", ("alice's words",))
            .scalar()
        )
        tagging.set_note(bob, bpid, "bob's reading of it")
        audience.set_audience(alice, pid, "me")
        sync(alice, "alice-pw")
        assert sync(bob, "bob-pw").conflicts == 1
        assert _has(bob, "bob's reading of it") == 0
        from annotator.core.team import conflict_text, conflicts

        (c,) = conflicts.listing(bob)
        assert c["kind"] == conflicts.HIDDEN and c["mine"]["note"] == "bob's reading of it"
        (words,) = conflict_text.describe(bob, [c])
        assert words["mine_text"] == "bob's reading of it" and "made private" in words["theirs_text"]
        conflicts.resolve(bob, c["id"], "mine")
        assert sync(bob, "bob-pw").conflicts == 0
        assert _has(bob, "bob's reading of it") == 1
        with psycopg.connect(_url(pg, db, "bob")) as conn:
            assert conn.execute(
                "SELECT audience, owner FROM passage WHERE note = %s", ("bob's reading of it",)
            ).fetchone() == ("me", "bob")
        assert "alice's words" in _notes(pg, db, "alice")
    finally:
        bob.close()
