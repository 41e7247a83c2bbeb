"""Theme queries and the default themes."""

from typing import TYPE_CHECKING
from collections.abc import Mapping

from sqlmodel import Session, col, func, select

from annotator.core.util import resources
from annotator.core.util.errors import NotFound
from annotator.core.store.models import Passage, PassageTheme, Theme, saved_id

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace


def add_defaults(s: Session) -> None:
    for pos, spec in enumerate(resources.load_json("themes.json")["themes"]):
        s.add(
            Theme(
                name=spec["name"],
                colour=spec["colour"],
                shortcut=spec["shortcut"],
                position=pos,
                builtin=True,
            )
        )


def all_themes(s: Session) -> list[Theme]:
    return list(s.exec(select(Theme).order_by(col(Theme.parent_id), col(Theme.position), col(Theme.id))))


def counts(s: Session) -> dict[int, int]:
    """Live (not deleted) passages per theme id."""
    rows = s.exec(
        select(PassageTheme.theme_id, func.count())
        .join(Passage, col(Passage.id) == col(PassageTheme.passage_id))
        .where(col(Passage.deleted_at).is_(None))
        .group_by(col(PassageTheme.theme_id))
    )
    return {tid: n for tid, n in rows}


def find(s: Session, ref: str | int) -> Theme:
    """A theme by id, exact name, path ("Quality / Staffing", as listed), or
    case-insensitive name or name prefix."""
    if isinstance(ref, int) or str(ref).isdigit():
        theme = s.get(Theme, int(ref))
        if theme:
            return theme
    ref = str(ref).strip()
    themes = all_themes(s)
    by_id = {t.id: t for t in themes}
    path = " / ".join(part.strip() for part in ref.split("/")).lower()
    for match in (
        lambda t: t.name == ref,
        lambda t: "/" in ref and path_name(t, by_id).lower() == path,
        lambda t: t.name.lower() == ref.lower(),
        lambda t: t.name.lower().startswith(ref.lower()),
    ):
        hits = [t for t in themes if match(t)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = ", ".join(t.name for t in hits)
            raise NotFound(f"Theme '{ref}' is ambiguous: {names}.")
    raise NotFound(f"No theme called '{ref}'.")


def path_name(theme: Theme, by_id: Mapping[int | None, Theme]) -> str:
    """'Parent / Child' name for nested themes."""
    parts = [theme.name]
    seen = {theme.id}
    while theme.parent_id and theme.parent_id in by_id and theme.parent_id not in seen:
        theme = by_id[theme.parent_id]
        seen.add(theme.id)
        parts.append(theme.name)
    return " / ".join(reversed(parts))


def tree_order(themes: list[Theme]) -> dict[int, int]:
    """Depth-first position of every theme, parents before children and siblings in
    the order given (pass them sorted by position), as the Themes panel shows them."""
    children: dict[int | None, list[Theme]] = {}
    for t in themes:
        children.setdefault(t.parent_id, []).append(t)
    order: dict[int, int] = {}
    ids = {t.id for t in themes}
    stack = [t for t in reversed(children.get(None, []))]
    stack += [t for t in themes if t.parent_id is not None and t.parent_id not in ids]
    while stack:
        t = stack.pop()
        tid = saved_id(t)
        if tid in order:
            continue
        order[tid] = len(order)
        stack.extend(reversed(children.get(t.id, [])))
    return order


# ---- read functions for the window (each opens its own read session) ----


def listed(ws: "Workspace") -> list[Theme]:
    """Every theme, in tree order."""
    with ws.session() as s:
        return all_themes(s)


def named(ws: "Workspace", exclude: int | None = None) -> list[tuple[int, str, str]]:
    """(id, path name, shortcut key) of every theme, sorted by path name: for menus."""
    rows = listed(ws)
    by_id = {t.id: t for t in rows}
    out = [(saved_id(t), path_name(t, by_id), t.shortcut) for t in rows if t.id != exclude]
    return sorted(out, key=lambda x: x[1].lower())


def by_shortcut(ws: "Workspace", key: str) -> int | None:
    """The id of the theme a number key tags with, or None."""
    with ws.session() as s:
        theme = s.exec(select(Theme).where(Theme.shortcut == key)).first()
        return theme.id if theme else None


def overview(ws: "Workspace") -> tuple[list[Theme], dict[int, int], int]:
    """The themes panel in one read: themes, live passages per theme, live passages in all."""
    with ws.session() as s:
        total = s.exec(
            select(func.count()).select_from(Passage).where(col(Passage.deleted_at).is_(None))
        ).one()
        return all_themes(s), counts(s), total


def deletion_facts(ws: "Workspace", tid: int) -> tuple[str, int, str | None]:
    """What deleting a theme touches: its name, its live passages, its parent's name."""
    with ws.session() as s:
        t = s.get(Theme, tid)
        if t is None:
            raise NotFound(f"No theme {tid}.")
        parent = s.get(Theme, t.parent_id) if t.parent_id else None
        return t.name, counts(s).get(tid, 0), parent.name if parent else None


def name_of(ws: "Workspace", tid: int) -> str | None:
    with ws.session() as s:
        t = s.get(Theme, tid)
        return t.name if t else None
