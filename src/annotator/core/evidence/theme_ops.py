"""Operations on themes: add, rename, recolour, nest/reorder, merge, delete.

Each is an undoable command (see core.changes). Merging and deleting never
touch passages themselves: only their links to the theme move or go. Every
theme operation may renumber siblings, so each names the whole (small) theme
table as its scope; only the rows that really changed are kept for undo.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from annotator.core.evidence.changes import Change, Command, Scope
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import PassageTheme, Theme

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

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


class _ThemeCommand(Command):
    def scope(self, s: Session) -> Scope:
        return [("theme", "1")]


@dataclass
class AddTheme(_ThemeCommand):
    action = "add theme"
    name: str
    colour: str = "#607D8B"
    parent_id: int | None = None
    shortcut: str = ""

    def details(self) -> dict[str, object]:
        return {"name": self.name, "colour": self.colour, "parent": self.parent_id}

    def apply(self, ws: "Workspace", s: Session) -> Change:
        if self.parent_id is not None:
            _theme(s, self.parent_id)
        name = _check_name(s, self.name, self.parent_id)
        siblings = list(s.exec(select(Theme).where(Theme.parent_id == self.parent_id)))
        t = Theme(
            name=name,
            colour=_check_colour(self.colour),
            parent_id=self.parent_id,
            shortcut=self.shortcut,
            position=max([x.position for x in siblings], default=-1) + 1,
        )
        s.add(t)
        s.flush()
        return Change(f"Add theme {name}", themes=True, result=t.id)


def add(
    ws: "Workspace", name: str, colour: str = "#607D8B", parent_id: int | None = None, shortcut: str = ""
) -> Change:
    return AddTheme(name, colour, parent_id, shortcut).do(ws)


@dataclass
class EditTheme(_ThemeCommand):
    """Change only the named fields of a theme: name, colour, shortcut."""

    action = "edit theme"
    tid: int
    fields: dict[str, str]  # name, colour, shortcut

    def details(self) -> dict[str, object]:
        return {"theme": self.tid, **self.fields}

    def apply(self, ws: "Workspace", s: Session) -> Change:
        bad = set(self.fields) - {"name", "colour", "shortcut"}
        if bad:
            raise InvalidInput(f"Cannot edit {', '.join(sorted(bad))} of a theme.")
        t = _theme(s, self.tid)
        old = t.name
        if "name" in self.fields:
            t.name = _check_name(s, self.fields["name"], t.parent_id, except_id=self.tid)
        if "colour" in self.fields:
            t.colour = _check_colour(self.fields["colour"])
        if "shortcut" in self.fields:
            key = self.fields["shortcut"] or ""
            other = s.exec(select(Theme).where(Theme.shortcut == key, Theme.id != self.tid)).first()
            if key and other is not None:
                raise InvalidInput(f"Key {key} already belongs to '{other.name}'.")
            t.shortcut = key
        s.add(t)
        what = {"name": f"Rename theme {old}", "colour": f"Recolour theme {t.name}"}
        summary = (
            what.get(next(iter(self.fields), ""), "Theme shortcut")
            if len(self.fields) == 1
            else f"Edit theme {old}"
        )
        return Change(summary, themes=True)


def rename(ws: "Workspace", tid: int, name: str) -> Change:
    return EditTheme(tid, {"name": name}).do(ws)


def recolour(ws: "Workspace", tid: int, colour: str) -> Change:
    return EditTheme(tid, {"colour": colour}).do(ws)


def set_shortcut(ws: "Workspace", tid: int, shortcut: str) -> Change:
    return EditTheme(tid, {"shortcut": shortcut}).do(ws)


@dataclass
class MoveTheme(_ThemeCommand):
    """Nest under another theme (or the top level) and/or reorder among siblings."""

    action = "move theme"
    tid: int
    parent_id: int | None
    position: int | None = None

    def details(self) -> dict[str, object]:
        return {"theme": self.tid, "parent": self.parent_id, "position": self.position}

    def apply(self, ws: "Workspace", s: Session) -> Change:
        t = _theme(s, self.tid)
        probe, seen = self.parent_id, set()
        while probe is not None:  # refuse cycles (and stop on one already there: it hung)
            if probe == self.tid or probe in seen:
                raise InvalidInput("A theme cannot be nested inside itself.")
            seen.add(probe)
            probe = _theme(s, probe).parent_id
        _check_name(s, t.name, self.parent_id, except_id=self.tid)
        siblings = [
            x
            for x in s.exec(
                select(Theme)
                .where(col(Theme.parent_id) == self.parent_id)
                .order_by(col(Theme.position), col(Theme.id))
            )
            if x.id != self.tid
        ]
        pos = len(siblings) if self.position is None else max(0, min(self.position, len(siblings)))
        siblings.insert(pos, t)
        t.parent_id = self.parent_id
        for i, x in enumerate(siblings):
            x.position = i
            s.add(x)
        return Change("Move theme", themes=True)


def move(ws: "Workspace", tid: int, parent_id: int | None, position: int | None = None) -> Change:
    return MoveTheme(tid, parent_id, position).do(ws)


@dataclass
class RemoveTheme(_ThemeCommand):
    """Merge a theme into another (its passages and sub-themes move there), or
    delete it (its passages stay: they lose this theme, or take its parent's
    with `to_parent`; its sub-themes move up to its parent)."""

    action = "remove theme"
    tid: int
    into: int | None = None  # merge target; None: delete
    to_parent: bool = False

    def details(self) -> dict[str, object]:
        return {"theme": self.tid, "into": self.into, "to_parent": self.to_parent}

    def scope(self, s: Session) -> Scope:
        t = s.get(Theme, self.tid)
        heirs = {self.tid, self.into if self.into is not None else (t.parent_id if t else None)}
        ids = ",".join(str(int(i)) for i in heirs if i is not None)
        return [("theme", "1"), ("passage_theme", f"theme_id IN ({ids})")]

    def apply(self, ws: "Workspace", s: Session) -> Change:
        if self.into == self.tid:
            raise InvalidInput("Choose two different themes to merge.")
        t = _theme(s, self.tid)
        heir = self.into if self.into is not None else t.parent_id
        summary = f"Delete theme {t.name}"
        if self.into is not None:
            summary = f"Merge {t.name} into {_theme(s, self.into).name}"
        had = [pt.passage_id for pt in s.exec(select(PassageTheme).where(PassageTheme.theme_id == self.tid))]
        way_in = _child_towards(s, self.tid, heir)  # merging into its own sub-theme
        for c in s.exec(select(Theme).where(Theme.parent_id == self.tid)):
            # the sub-theme holding the heir takes this theme's place; the rest go under the heir
            c.parent_id = t.parent_id if c.id == way_in else heir
            s.add(c)
        for pt in s.exec(select(PassageTheme).where(PassageTheme.theme_id == self.tid)):
            s.delete(pt)
        s.flush()
        if heir is not None and (self.into is not None or self.to_parent):
            have = set(s.exec(select(PassageTheme.passage_id).where(PassageTheme.theme_id == heir)))
            for pid in had:
                if pid not in have:
                    s.add(PassageTheme(passage_id=pid, theme_id=heir))
            s.flush()
        s.delete(t)
        return Change(summary, passages=set(had), themes=True)


def _child_towards(s: Session, tid: int, inner: int | None) -> int | None:
    """The child of theme `tid` on the way down to `inner`, when `inner` lies inside it."""
    probe, below, seen = inner, None, set()
    while probe is not None and probe not in seen:
        if probe == tid:
            return below
        seen.add(probe)
        below, probe = probe, _theme(s, probe).parent_id
    return None


def merge(ws: "Workspace", source_id: int, target_id: int) -> Change:
    """Move every passage of `source` to `target`, then remove `source`."""
    if source_id == target_id:
        raise InvalidInput("Choose two different themes to merge.")
    return RemoveTheme(source_id, into=target_id).do(ws)


def delete(ws: "Workspace", tid: int, reassign_to_parent: bool = False) -> Change:
    """Remove a theme. Its passages stay; they lose this theme, or take its parent's."""
    return RemoveTheme(tid, to_parent=reassign_to_parent).do(ws)
