"""Merging a theme into one of its own sub-themes keeps the tree a tree."""

from annotator.core.evidence import theme_ops
from annotator.core.store.models import Theme
from annotator.core.store.workspace import Workspace
from sqlmodel import select


def _parents(ws: Workspace) -> dict[str, str | None]:
    with ws.session() as s:
        rows = list(s.exec(select(Theme)))
        names = {t.id: t.name for t in rows}
        return {t.name: names.get(t.parent_id) if t.parent_id else None for t in rows}


def test_merge_into_own_sub_theme(tmp_path):
    ws = Workspace.create(str(tmp_path / "w.annot"))
    try:
        top = theme_ops.add(ws, "Care").result
        falls = theme_ops.add(ws, "Falls", parent_id=top).result
        deep = theme_ops.add(ws, "Night falls", parent_id=falls).result
        other = theme_ops.add(ws, "Feeding", parent_id=top).result
        for into in (falls, deep):
            change = theme_ops.merge(ws, top, into)
            tree = _parents(ws)
            assert tree["Falls"] is None and tree["Feeding"] == ("Falls" if into == falls else "Night falls")
            assert tree["Night falls"] == "Falls" and "Care" not in tree
            assert change.command is not None
            change.command.undo(ws)
            assert _parents(ws)["Falls"] == "Care"
        theme_ops.move(ws, other, falls)  # the walk up from a sub-theme still ends
        assert _parents(ws)["Feeding"] == "Falls"
    finally:
        ws.close()
