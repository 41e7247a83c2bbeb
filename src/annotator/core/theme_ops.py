"""Operations on themes: add, rename, recolour, nest/reorder, merge, delete.

Merging and deleting never touch passages themselves: only their links to
the theme move or go, and the inverse puts every link back.
"""

import re

from sqlmodel import Session, col, select

from annotator.core.changes import Change
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import PassageTheme, Theme, saved_id

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _theme(s: Session, tid: int) -> Theme:
    t = s.get(Theme, tid)
    if t is None:
        raise NotFound(f"No theme {tid}.")
    return t


def _check_colour(colour: str) -> str:
    if not _COLOUR.match(colour or ""):
        raise InvalidInput(f"'{colour}' is not a colour; use #RRGGBB, e.g. #C62828.")
    return colour.upper()


def _check_name(s: Session, name: str, parent_id: int | None, except_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A theme needs a name.")
    for t in s.exec(select(Theme).where(Theme.parent_id == parent_id)):
        if t.name.lower() == name.lower() and t.id != except_id:
            raise InvalidInput(f"There is already a theme called '{name}' here.")
    return name


def _snapshot(t: Theme) -> dict:
    return {
        k: getattr(t, k) for k in ("id", "name", "parent_id", "colour", "shortcut", "position", "builtin")
    }


def add(ws, name: str, colour: str = "#607D8B", parent_id: int | None = None, shortcut: str = "") -> Change:
    with ws.write("add theme", {"name": name, "colour": colour, "parent": parent_id}) as s:
        if parent_id is not None:
            _theme(s, parent_id)
        name = _check_name(s, name, parent_id)
        siblings = list(s.exec(select(Theme).where(Theme.parent_id == parent_id)))
        t = Theme(
            name=name,
            colour=_check_colour(colour),
            parent_id=parent_id,
            shortcut=shortcut,
            position=max([x.position for x in siblings], default=-1) + 1,
        )
        s.add(t)
        s.flush()
        tid = saved_id(t)
    return Change(f"Add theme {name}", themes=True, inverse=lambda w: delete(w, tid), result=tid)


def rename(ws, tid: int, name: str) -> Change:
    with ws.write("rename theme", {"theme": tid, "name": name}) as s:
        t = _theme(s, tid)
        old = t.name
        t.name = _check_name(s, name, t.parent_id, except_id=tid)
        s.add(t)
    return Change(f"Rename theme {old}", themes=True, inverse=lambda w: rename(w, tid, old))


def recolour(ws, tid: int, colour: str) -> Change:
    with ws.write("recolour theme", {"theme": tid, "colour": colour}) as s:
        t = _theme(s, tid)
        old = t.colour
        t.colour = _check_colour(colour)
        s.add(t)
    return Change(f"Recolour theme {t.name}", themes=True, inverse=lambda w: recolour(w, tid, old))


def set_shortcut(ws, tid: int, shortcut: str) -> Change:
    with ws.write("theme shortcut", {"theme": tid, "shortcut": shortcut}) as s:
        t = _theme(s, tid)
        old = t.shortcut
        for other in s.exec(select(Theme).where(Theme.shortcut == shortcut, Theme.id != tid)):
            if shortcut:
                raise InvalidInput(f"Key {shortcut} already belongs to '{other.name}'.")
        t.shortcut = shortcut
        s.add(t)
    return Change("Theme shortcut", themes=True, inverse=lambda w: set_shortcut(w, tid, old))


def move(ws, tid: int, parent_id: int | None, position: int | None = None) -> Change:
    """Nest under another theme (or the top level) and/or reorder among siblings."""
    with ws.write("move theme", {"theme": tid, "parent": parent_id, "position": position}) as s:
        t = _theme(s, tid)
        old = (t.parent_id, t.position)
        probe = parent_id
        while probe is not None:  # refuse cycles
            if probe == tid:
                raise InvalidInput("A theme cannot be nested inside itself.")
            probe = _theme(s, probe).parent_id
        _check_name(s, t.name, parent_id, except_id=tid)
        siblings = [
            x
            for x in s.exec(
                select(Theme)
                .where(col(Theme.parent_id) == parent_id)
                .order_by(col(Theme.position), col(Theme.id))
            )
            if x.id != tid
        ]
        pos = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(pos, t)
        t.parent_id = parent_id
        for i, x in enumerate(siblings):
            x.position = i
            s.add(x)
    return Change("Move theme", themes=True, inverse=lambda w: move(w, tid, old[0], old[1]))


def merge(ws, source_id: int, target_id: int) -> Change:
    """Move every passage of `source` to `target`, then remove `source`."""
    if source_id == target_id:
        raise InvalidInput("Choose two different themes to merge.")
    with ws.write("merge themes", {"source": source_id, "target": target_id}) as s:
        src, dst = _theme(s, source_id), _theme(s, target_id)
        snap = _snapshot(src)
        had = [pt.passage_id for pt in s.exec(select(PassageTheme).where(PassageTheme.theme_id == source_id))]
        already = set(s.exec(select(PassageTheme.passage_id).where(PassageTheme.theme_id == target_id)))
        children = [c.id for c in s.exec(select(Theme).where(Theme.parent_id == source_id))]
        for c in s.exec(select(Theme).where(Theme.parent_id == source_id)):
            c.parent_id = target_id
            s.add(c)
        for pt in s.exec(select(PassageTheme).where(PassageTheme.theme_id == source_id)):
            s.delete(pt)
        s.flush()
        added = [pid for pid in had if pid not in already]
        for pid in added:
            s.add(PassageTheme(passage_id=pid, theme_id=target_id))
        s.flush()
        s.delete(src)
        name = f"Merge {src.name} into {dst.name}"
    return Change(
        name,
        passages=set(had),
        themes=True,
        inverse=lambda w: _restore(w, snap, had, children, remove_from=(target_id, added)),
    )


def delete(ws, tid: int, reassign_to_parent: bool = False) -> Change:
    """Remove a theme. Its passages stay; they lose this theme, or take its parent's."""
    with ws.write("delete theme", {"theme": tid, "to_parent": reassign_to_parent}) as s:
        t = _theme(s, tid)
        snap = _snapshot(t)
        had = [pt.passage_id for pt in s.exec(select(PassageTheme).where(PassageTheme.theme_id == tid))]
        children = [c.id for c in s.exec(select(Theme).where(Theme.parent_id == tid))]
        for c in s.exec(select(Theme).where(Theme.parent_id == tid)):
            c.parent_id = t.parent_id
            s.add(c)
        for pt in s.exec(select(PassageTheme).where(PassageTheme.theme_id == tid)):
            s.delete(pt)
        s.flush()
        added: list[int] = []
        if reassign_to_parent and t.parent_id is not None:
            have = set(s.exec(select(PassageTheme.passage_id).where(PassageTheme.theme_id == t.parent_id)))
            added = [pid for pid in had if pid not in have]
            for pid in added:
                s.add(PassageTheme(passage_id=pid, theme_id=t.parent_id))
            s.flush()
        s.delete(t)
        parent = t.parent_id
    return Change(
        f"Delete theme {snap['name']}",
        passages=set(had),
        themes=True,
        inverse=lambda w: _restore(w, snap, had, children, remove_from=(parent, added)),
    )


def _restore(
    ws, snap: dict, passage_ids: list[int], children: list[int], remove_from: tuple[int | None, list[int]]
) -> Change:
    """Bring a merged or deleted theme back exactly (same id, links, children)."""
    with ws.write("restore theme", {"theme": snap["id"]}) as s:
        s.add(Theme(**snap))
        s.flush()
        for cid in children:
            c = s.get(Theme, cid)
            if c is not None:
                c.parent_id = snap["id"]
                s.add(c)
        other, added = remove_from
        if other is not None:
            for pid in added:
                pt = s.get(PassageTheme, (pid, other))
                if pt is not None:
                    s.delete(pt)
        s.flush()
        for pid in passage_ids:
            s.add(PassageTheme(passage_id=pid, theme_id=snap["id"]))
    tid = snap["id"]
    return Change(
        f"Restore theme {snap['name']}",
        passages=set(passage_ids),
        themes=True,
        inverse=lambda w: delete(w, tid) if other is None or not added else merge(w, tid, other),
    )
