"""Areas travel through the team server like any passage, rectangle and all."""

import psycopg

from annotator.core.evidence import passages, tagging
from annotator.core.evidence.anchors import AREA_FIELDS
from annotator.core.team.server.schema import SERVER_SCHEMA
from annotator.core.team.sync import sync
from util import PW, passage_id, same, uid_of


def test_an_area_and_its_move_sync_to_the_other_replica(team):
    a, b = team
    pid = tagging.tag_area(a, 1, 1, (420, 760, 560, 830), [3], note="signed", label="signature").result
    sync(a, PW)
    sync(b, PW)
    same(a, b)
    q = passage_id(b, uid_of(a, "passage", pid))
    with b.session() as s:
        v = passages.views(s, ids=[q])[0]
    assert v.area == [1, 420.0, 760.0, 560.0, 830.0]
    assert v.citation == "Day 45/2, area" and v.quote == "[Area on page 2: signature]" and v.note == "signed"
    tagging.set_note(b, q, "signed and dated")
    sync(b, PW)
    sync(a, PW)
    with a.session() as s:
        assert passages.views(s, ids=[pid])[0].note == "signed and dated"


def test_a_server_from_before_areas_is_upgraded_by_the_next_sync(team, db):
    a, b = team
    with psycopg.connect(db) as conn:  # as the first team servers were made
        for col in AREA_FIELDS:
            conn.execute(f"ALTER TABLE passage DROP COLUMN {col}")
        conn.execute("UPDATE annotator_meta SET value = '1' WHERE key = 'schema'")
    pid = tagging.tag_area(a, 1, 0, (30, 40, 200, 120), [1], label="stamp").result
    sync(a, PW)
    sync(b, PW)
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT value FROM annotator_meta WHERE key = 'schema'").fetchone()[0] == str(
            SERVER_SCHEMA
        )
    q = passage_id(b, uid_of(a, "passage", pid))
    with b.session() as s:
        assert passages.views(s, ids=[q])[0].area == [0, 30.0, 40.0, 200.0, 120.0]
