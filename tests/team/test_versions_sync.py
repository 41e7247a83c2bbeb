"""A document replaced by a new version on one laptop (core/versions) reaches the others:
the new file, its pages and lines, the passages carried onto it, the versions list."""

from versions_pairs import script_pair

from annotator.core import versions
from annotator.core.team import replica
from util import found, index_ok, same, sync_all


def _versions(ws, doc_id: int) -> list[tuple]:
    with ws.engine.connect() as c:
        return c.exec_driver_sql(
            "SELECT v.number, v.sha256, v.filename, b.size > 0 FROM document_version v "
            "JOIN blob b ON b.sha256 = v.sha256 WHERE v.document_id = ? ORDER BY v.number",
            (doc_id,),
        ).all()


def _doc_of(ws, title_like: str) -> int:
    with ws.engine.connect() as c:
        return c.exec_driver_sql("SELECT id FROM document WHERE filename LIKE ?", (title_like,)).scalar()


def test_replaced_document_reaches_the_other_replica(team, db, tmp_path):
    a, b = team
    doc_id, pids, _link, final, _ = script_pair(a, tmp_path)
    sync_all(a, b)
    b_doc = _doc_of(b, "draft.%")
    assert found(b, "inaudible") and not found(b, "tonight")
    versions.replace(a, doc_id, final)
    sync_all(a, b)
    assert [v[:3] for v in _versions(b, b_doc)] == [v[:3] for v in _versions(a, doc_id)]
    assert len(_versions(b, b_doc)) == 2 and all(v[3] for v in _versions(b, b_doc))
    with a.engine.connect() as ca, b.engine.connect() as cb:
        q = "SELECT sha256, page_count FROM document WHERE id = ?"
        assert ca.exec_driver_sql(q, (doc_id,)).one() == cb.exec_driver_sql(q, (b_doc,)).one()
        q = "SELECT group_concat(text, '\n') FROM (SELECT text FROM line WHERE document_id = ? ORDER BY seq)"
        assert ca.exec_driver_sql(q, (doc_id,)).scalar() == cb.exec_driver_sql(q, (b_doc,)).scalar()
    assert found(b, "tonight")  # B's own search index has the new version's words (passages and lines)
    with b.engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM line_fts WHERE line_fts MATCH 'tonight'").scalar() == 1
    same(a, b)
    index_ok(b)
    c = replica.join(db, str(tmp_path / "c.annot"))  # a new laptop gets every version and its file
    try:
        assert [v[:3] for v in _versions(c, _doc_of(c, "final.%"))] == [v[:3] for v in _versions(a, doc_id)]
        same(a, c)
    finally:
        c.close()
