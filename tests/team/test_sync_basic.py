from annotator.core import theme_ops
from annotator.core.team import replica
from annotator.core.team.dump import canonical
from annotator.core.team.sync import sync


def test_publish_join_edit_sync(demo_ws, db, pg, tmp_path):
    out = replica.publish(demo_ws, db)
    assert out["pushed"] > 0
    b = replica.join(db, str(tmp_path / "b.annot"))
    try:
        assert canonical(b) == canonical(demo_ws)
        theme_ops.add(b, "From B")
        assert sync(b, pg.password).pushed > 0
        r = sync(demo_ws, pg.password)
        assert r.pulled > 0
        assert canonical(b) == canonical(demo_ws)
    finally:
        b.close()
