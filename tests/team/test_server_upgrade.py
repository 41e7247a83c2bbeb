"""A team server published by an older Annotator is upgraded in place by its owner's next sync."""

from urllib.parse import urlsplit

import psycopg
import pytest

from annotator.core.team import audience, replica
from annotator.core.team.server import connect, schema
from annotator.core.team.sync import sync
from util import PW, tag, uid_of


def _make_v1(db: str) -> None:
    """Turn a new server back into one published by the first team version: no paragraph columns
    (local schema v5 added them), no log of audience changes."""
    with psycopg.connect(db) as conn:
        conn.execute("ALTER TABLE passage DROP COLUMN para_from, DROP COLUMN para_to")
        conn.execute("ALTER TABLE line DROP COLUMN para")
        conn.execute("DROP TABLE sync_narrowed")
        conn.execute("DROP TRIGGER passage_narrowed ON passage")
        conn.execute("DROP FUNCTION annotator_narrowed")
        conn.execute("UPDATE annotator_meta SET value = '1' WHERE key = 'schema'")
        assert schema.missing_columns(conn.cursor()) == {
            "passage": [("para_from", "bigint"), ("para_to", "bigint")],
            "line": [("para", "bigint")],
        }


def test_old_server_upgraded_by_its_owner(team, db, pg, tmp_path):
    a, b = team
    audience.add_user(db, "bob", "bob-pw")
    bob = replica.join(
        pg.url(urlsplit(db).path.lstrip("/"), "bob", "bob-pw"), str(tmp_path / "bob.annot"), password="bob-pw"
    )
    try:
        _make_v1(db)
        pid = tag(a, 5, "numbered paragraphs")
        with a.write("paragraphs", {}) as s:
            s.connection().exec_driver_sql(
                "UPDATE passage SET para_from = 12, para_to = 13 WHERE id = ?", (pid,)
            )
        # another login cannot upgrade it: one sentence, nothing lost
        with pytest.raises(connect.TeamError, match="must be upgraded by the login that published it"):
            sync(bob, "bob-pw")
        assert sync(a, PW).pushed >= 1  # the owner's sync upgrades, then pushes the paragraphs
        with psycopg.connect(db) as conn:
            assert conn.execute("SELECT value FROM annotator_meta WHERE key = 'schema'").fetchone()[0] == str(
                schema.SERVER_SCHEMA
            )
            assert schema.missing_columns(conn.cursor()) == {}
            row = conn.execute(
                "SELECT para_from, para_to FROM passage WHERE uid = %s", (uid_of(a, "passage", pid),)
            ).fetchone()
            assert row == (12, 13)
        for ws, pw in ((b, PW), (bob, "bob-pw")):
            sync(ws, pw)
            with ws.engine.connect() as c:
                assert c.exec_driver_sql(
                    "SELECT para_from, para_to FROM passage WHERE note = 'numbered paragraphs'"
                ).one() == (12, 13)
        # and the upgraded server has the log that retracts narrowed passages
        audience.set_audience(a, pid, "me")
        sync(a, PW)
        sync(bob, "bob-pw")
        with bob.engine.connect() as c:
            assert (
                c.exec_driver_sql("SELECT count(*) FROM passage WHERE note = 'numbered paragraphs'").scalar()
                == 0
            )
    finally:
        bob.close()
