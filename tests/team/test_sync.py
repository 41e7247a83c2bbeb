"""Two replicas through a real PostgreSQL server: offline edits, sync, identical ends."""

from annotator.core.evidence import passages, tagging, theme_ops
from annotator.core.team import conflicts, replica
from annotator.core.team.sync import sync
from util import PW, found, index_ok, passage_id, same, sync_all, tag, uid_of


def test_join_copies_everything(team, tmp_path):
    a, b = team
    same(a, b)
    with b.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM line").scalar() > 50
        assert conn.exec_driver_sql("SELECT count(*) FROM blob").scalar() == 2
    index_ok(b)


def test_offline_edits_on_two_replicas_end_identical(team, db, tmp_path):
    a, b = team
    shared = sorted(passage_id(a, u) for u in same(a, b)["passage"])
    p1, p2, p3 = shared[:3]
    q1, q2, q3 = (passage_id(b, uid_of(a, "passage", p)) for p in (p1, p2, p3))
    # A, offline: a new passage, a note, a new theme, a renamed theme
    new_a = tag(a, 10, "zebrafish from A")
    tagging.set_note(a, p1, "note by A")
    t_a = theme_ops.add(a, "Governance").result
    theme_ops.rename(a, 2, "Care quality")
    tagging.link(a, new_a, p2, "contradicts")
    # B, offline: a new passage, flags on the same passage (another field), a deletion
    new_b = tag(b, 40, "walrus from B", themes=(3,))
    tagging.set_flags(b, q1, important=True)
    tagging.delete_passage(b, q3)
    res = sync(a, PW)
    assert res.pushed >= 5 and res.conflicts == 0
    res = sync(b, PW)
    assert res.conflicts == 0 and res.pulled >= 5
    sync(a, PW)
    dump = same(a, b)
    # merged field by field: A's note and B's flag on one passage
    rec = dump["passage"][uid_of(a, "passage", p1)]
    assert rec["note"] == "note by A" and rec["important"] is True
    assert rec["deleted_at"] is None
    assert dump["passage"][uid_of(a, "passage", p3)]["deleted_at"] is not None
    assert uid_of(a, "theme", t_a) in dump["theme"]
    # search stays local: each replica's index finds the other's words
    assert passage_id(b, uid_of(a, "passage", new_a)) in found(b, "zebrafish")
    assert passage_id(a, uid_of(b, "passage", new_b)) in found(a, "walrus")
    with b.session() as s:
        assert [v.themes for v in passages.views(s, ids=[passage_id(b, uid_of(a, "passage", p1))])]
    index_ok(a)
    index_ok(b)
    # and a third laptop joining now sees exactly the same
    c = replica.join(db, str(tmp_path / "c.annot"))
    try:
        same(a, b, c)
    finally:
        c.close()
    assert sync(a, PW).as_dict() == {"pushed": 0, "pulled": 0, "conflicts": 0}


def test_conflicting_note_edit_keeps_both_texts(team):
    a, b = team
    uid = next(iter(same(a, b)["passage"]))
    tagging.set_note(a, passage_id(a, uid), "A thinks this is key")
    tagging.set_note(b, passage_id(b, uid), "B thinks it contradicts day 44")
    assert sync(a, PW).conflicts == 0
    assert sync(b, PW).conflicts == 1
    [c] = conflicts.listing(b)
    assert c["fields"] == ["note"]
    assert c["mine"]["note"] == "B thinks it contradicts day 44"
    assert c["theirs"]["note"] == "A thinks this is key"
    assert c["mine_author"] and c["theirs_author"] == "postgres" and c["theirs_at"] and c["mine_at"]
    # nothing settled silently: the server kept the first, B's text waits in the conflict
    sync(a, PW)
    assert same(a, b)["passage"][uid]["note"] == "A thinks this is key"
    conflicts.resolve(b, c["id"], "both")
    sync_all(b, a)
    note = same(a, b)["passage"][uid]["note"]
    assert "A thinks this is key" in note and "B thinks it contradicts day 44" in note
    assert conflicts.listing(b) == []


def test_keep_mine_and_keep_theirs(team):
    a, b = team
    t1, t4 = (theme_ops.add(a, name).result for name in ("Red", "Blue"))
    sync_all(a, b)
    u1, u4 = uid_of(a, "theme", t1), uid_of(a, "theme", t4)
    uids = sorted(same(a, b)["passage"])[:2]
    for uid in uids:
        tagging.set_themes(a, passage_id(a, uid), [t1])
        tagging.set_themes(b, passage_id(b, uid), [_theme_id(b, u4)])
    sync(a, PW)
    assert sync(b, PW).conflicts == 2
    first, second = conflicts.listing(b)
    assert (
        first["fields"] == ["themes"]
        and first["mine"]["themes"] == [u4]
        and first["theirs"]["themes"] == [u1]
    )
    conflicts.resolve(b, first["id"], "mine")
    conflicts.resolve(b, second["id"], "theirs")
    sync_all(b, a)
    dump = same(a, b)
    assert dump["passage"][first["uid"]]["themes"] == [u4]
    assert dump["passage"][second["uid"]]["themes"] == [u1]


def test_rename_against_delete_and_edit_against_delete(team):
    a, b = team
    uid = sorted(same(a, b)["passage"])[0]
    theme_uid = uid_of(a, "theme", 3)
    theme_ops.rename(a, 3, "Patient safety")
    theme_ops.delete(b, passage_id(b, theme_uid) or _theme_id(b, theme_uid))
    tagging.delete_passage(a, passage_id(a, uid))
    tagging.set_note(b, passage_id(b, uid), "still matters")
    sync(a, PW)
    assert sync(b, PW).conflicts == 2
    kinds = {c["table"]: c for c in conflicts.listing(b)}
    assert kinds["theme"]["kind"] == "deleted here"
    assert kinds["theme"]["theirs"]["name"] if kinds["theme"]["theirs"] else True
    assert kinds["passage"]["kind"] == "deleted there"
    assert kinds["passage"]["mine"]["note"] == "still matters"
    # keeping the edited passage brings it back with the note, on both laptops
    conflicts.resolve(b, kinds["passage"]["id"], "mine")
    conflicts.resolve(b, kinds["theme"]["id"], "theirs")
    sync_all(b, a)
    dump = same(a, b)
    assert dump["passage"][uid]["deleted_at"] is None and dump["passage"][uid]["note"] == "still matters"
    assert dump["theme"][theme_uid]["name"] == "Patient safety"


def _theme_id(ws, uid):
    with ws.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT local_id FROM sync_map WHERE uid = ?", (uid,)).scalar()


def test_a_document_imported_on_one_laptop_reaches_the_other(team, tmp_path):
    from annotator.core.ingest import import_file
    from annotator.core.search import search

    a, b = team
    path = tmp_path / "statement of the night sister.txt"
    path.write_text("The night sister wrote that the ward was quiet.\nNobody answered the buzzer.\n" * 40)
    assert import_file(b, str(path)).status == "imported"
    sync_all(b, a)
    dump = same(a, b)
    [(uid, counts)] = [
        (u, c) for u, c in dump["content"].items() if dump["document"][u]["filename"] == path.name
    ]
    assert counts[0] >= 1 and counts[1] >= 80
    with a.engine.connect() as conn:
        sha = dump["document"][uid]["sha256"]
        assert (
            conn.exec_driver_sql("SELECT size FROM blob WHERE sha256 = ?", (sha,)).scalar()
            == path.stat().st_size
        )
    assert search(a, "buzzer").total >= 40
    index_ok(a)
