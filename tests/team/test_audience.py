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
