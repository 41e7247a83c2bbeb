"""Operations on passages and links, as undoable commands (see core.changes).

Each function runs its command and returns the Change, which carries the
command for undo and redo."""

import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from annotator.core.evidence import anchors, areas
from annotator.core.evidence.changes import Change, Command, Scope, ints
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Document, Link, Passage, PassageTheme, Theme, now, saved_id

RELATIONS = ("contradicts", "corroborates", "see also")


def _live(s: Session, pid: int) -> Passage:
    p = s.get(Passage, pid)
    if p is None or p.deleted_at is not None:
        raise NotFound(f"No passage {pid}.")
    return p


def _check_themes(s: Session, theme_ids: list[int]) -> list[int]:
    out = []
    for tid in theme_ids:
        if s.get(Theme, tid) is None:
            raise NotFound(f"No theme {tid}.")
        if tid not in out:
            out.append(tid)
    return out


def _one_passage(pid: int | None) -> Scope:
    if pid is None:
        return []
    return [("passage", f"id = {int(pid)}"), ("passage_theme", f"passage_id = {int(pid)}")]


@dataclass
class Tag(Command):
    """A new passage from an anchor (or a raw start/end) with its themes and note."""

    action = "tag"
    document_id: int
    anchor: anchors.Anchor | None = None
    theme_ids: list[int] = field(default_factory=list)
    note: str = ""
    important: bool = False
    redact: bool = False
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None
    rects: list | None = None
    area: list | None = None  # [page, x0, y0, x1, y1]: an area (see core.evidence.areas)
    label: str = ""  # an area's label when it holds no text ("signature")
    pid: int | None = None  # set by apply

    def details(self) -> dict:
        return {"document": self.document_id, "themes": list(self.theme_ids)}

    def scope(self, s: Session) -> Scope:
        return _one_passage(self.pid)

    def apply(self, ws, s: Session) -> Change:
        if s.get(Document, self.document_id) is None:
            raise NotFound(f"No document {self.document_id}.")
        anchor = self.anchor
        if anchor is None and self.area is not None:
            anchor = areas.anchor(s, self.document_id, self.area, self.label)
        if anchor is None:
            if self.start is None or self.end is None:
                raise InvalidInput("A passage needs a start and an end.")
            anchor = anchors.resolve(s, self.document_id, *self.start, *self.end)
        tids = _check_themes(s, list(self.theme_ids))
        p = Passage(
            document_id=self.document_id,
            start_page=anchor.start_page,
            start_char=anchor.start_char,
            end_page=anchor.end_page,
            end_char=anchor.end_char,
            rects=json.dumps(self.rects if self.rects is not None else anchor.rects or []),
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            day=anchor.day,
            tpage_from=anchor.tpage_from,
            line_from=anchor.line_from,
            tpage_to=anchor.tpage_to,
            line_to=anchor.line_to,
            para_from=anchor.para_from,
            para_to=anchor.para_to,
            note=self.note,
            author=ws.author,
            important=self.important,
            redact=self.redact,
        )
        if anchor.area is not None:
            p.area_page, p.area_x0, p.area_y0, p.area_x1, p.area_y1 = anchor.area
        s.add(p)
        s.flush()
        pid = self.pid = saved_id(p)
        for tid in tids:
            s.add(PassageTheme(passage_id=pid, theme_id=tid))
        what = "Tag area" if anchor.area is not None else "Tag passage"
        return Change(what, passages={pid}, themes=True, result=pid)


def tag(
    ws,
    document_id: int,
    anchor: anchors.Anchor | None = None,
    theme_ids: list[int] | tuple[int, ...] = (),
    note: str = "",
    important: bool = False,
    *,
    redact: bool = False,
    start: tuple[int, int] | None = None,
    end: tuple[int, int] | None = None,
    rects: list | None = None,
) -> Change:
    return Tag(document_id, anchor, list(theme_ids), note, important, redact, start, end, rects).do(ws)


def tag_area(
    ws,
    document_id: int,
    page: int,
    rect,
    theme_ids: list[int] | tuple[int, ...] = (),
    note: str = "",
    label: str = "",
    important: bool = False,
) -> Change:
    """A new area: the rectangle (x0, y0, x1, y1, points) on page index `page`, tagged."""
    return Tag(document_id, None, list(theme_ids), note, important, area=[page, *rect], label=label).do(ws)


@dataclass
class EditPassage(Command):
    """Change only the named fields of one passage: note, important, redact,
    deleted (a soft delete: the row stays, the audit log keeps it)."""

    action = "edit passage"
    pid: int
    fields: dict
    summary: str = "Edit passage"

    def details(self) -> dict:
        return {"passage": self.pid, **self.fields}

    def scope(self, s: Session) -> Scope:
        return [("passage", f"id = {int(self.pid)}")]

    def apply(self, ws, s: Session) -> Change:
        bad = set(self.fields) - {"note", "important", "redact", "deleted"}
        if bad:
            raise InvalidInput(f"Cannot edit {', '.join(sorted(bad))} of a passage.")
        deleted = self.fields.get("deleted")
        p = s.get(Passage, self.pid)
        if p is None or (p.deleted_at is not None and deleted is not False):
            raise NotFound(f"No passage {self.pid}.")
        if "note" in self.fields:
            p.note = str(self.fields["note"] or "")
        for flag in ("important", "redact"):
            if self.fields.get(flag) is not None:
                setattr(p, flag, bool(self.fields[flag]))
        if deleted is not None:
            p.deleted_at = now() if deleted else None
        if deleted is None:  # deleting or restoring is not an edit of the passage
            p.modified_at = now()
        s.add(p)
        return Change(
            self.summary, passages={self.pid}, themes=deleted is not None, links=deleted is not None
        )


def delete_passage(ws, pid: int) -> Change:
    """Soft delete: the row stays (undo restores it; the audit log keeps it)."""
    return EditPassage(pid, {"deleted": True}, "Delete passage").do(ws)


def restore_passage(ws, pid: int) -> Change:
    return EditPassage(pid, {"deleted": False}, "Restore passage").do(ws)


def set_note(ws, pid: int, note: str) -> Change:
    return EditPassage(pid, {"note": note}, "Edit note").do(ws)


def set_flags(ws, pid: int, important: bool | None = None, redact: bool | None = None) -> Change:
    fields = {k: v for k, v in (("important", important), ("redact", redact)) if v is not None}
    return EditPassage(pid, fields, "Edit flags").do(ws)


def theme_ids_of(s: Session, pid: int) -> list[int]:
    return list(s.exec(select(PassageTheme.theme_id).where(PassageTheme.passage_id == pid)))


@dataclass
class SetThemes(Command):
    """Replace the themes of one passage."""

    action = "set themes"
    pid: int
    theme_ids: list[int]

    def details(self) -> dict:
        return {"passage": self.pid, "themes": list(self.theme_ids)}

    def scope(self, s: Session) -> Scope:
        return _one_passage(self.pid)

    def apply(self, ws, s: Session) -> Change:
        p = _live(s, self.pid)
        tids = _check_themes(s, list(self.theme_ids))
        old = theme_ids_of(s, self.pid)
        for pt in s.exec(select(PassageTheme).where(PassageTheme.passage_id == self.pid)):
            if pt.theme_id not in tids:
                s.delete(pt)
        for tid in tids:
            if tid not in old:
                s.add(PassageTheme(passage_id=self.pid, theme_id=tid))
        p.modified_at = now()
        s.add(p)
        return Change("Change themes", passages={self.pid}, themes=True)


def set_themes(ws, pid: int, theme_ids: list[int]) -> Change:
    return SetThemes(pid, list(theme_ids)).do(ws)


@dataclass
class ThemeOnPassages(Command):
    """Give many passages one more theme (e.g. all search results), or take it away."""

    action = "theme on passages"
    pids: list[int]
    theme_id: int
    add: bool = True

    def details(self) -> dict:
        return {"theme": self.theme_id, "count": len(self.pids), "add": self.add}

    def scope(self, s: Session) -> Scope:
        return [("passage_theme", f"theme_id = {int(self.theme_id)} AND passage_id IN ({ints(self.pids)})")]

    def apply(self, ws, s: Session) -> Change:
        done = []
        if self.add:
            _check_themes(s, [self.theme_id])
        for pid in dict.fromkeys(self.pids):
            pt = s.get(PassageTheme, (pid, self.theme_id))
            if self.add:
                _live(s, pid)
                if pt is None:
                    s.add(PassageTheme(passage_id=pid, theme_id=self.theme_id))
                    done.append(pid)
            elif pt is not None:
                s.delete(pt)
                done.append(pid)
        verb = "Add theme to" if self.add else "Remove theme from"
        return Change(f"{verb} {len(done)} passages", passages=set(done), themes=True)


def add_theme_to(ws, pids: list[int], theme_id: int) -> Change:
    return ThemeOnPassages(list(pids), theme_id, True).do(ws)


def remove_theme_from(ws, pids: list[int], theme_id: int) -> Change:
    return ThemeOnPassages(list(pids), theme_id, False).do(ws)


@dataclass
class AddLink(Command):
    action = "link"
    source_id: int
    target_id: int
    relation: str = "see also"
    lid: int | None = None

    def details(self) -> dict:
        return {"source": self.source_id, "target": self.target_id, "relation": self.relation}

    def scope(self, s: Session) -> Scope:
        return [] if self.lid is None else [("link", f"id = {int(self.lid)}")]

    def apply(self, ws, s: Session) -> Change:
        relation = (self.relation or "").strip().lower()
        if not relation:
            raise InvalidInput("A link needs a relation, e.g. contradicts, corroborates or see also.")
        if self.source_id == self.target_id:
            raise InvalidInput("A passage cannot be linked to itself.")
        _live(s, self.source_id)
        _live(s, self.target_id)
        ln = Link(source_id=self.source_id, target_id=self.target_id, relation=relation, author=ws.author)
        s.add(ln)
        s.flush()
        self.lid = ln.id
        return Change("Link passages", passages={self.source_id, self.target_id}, links=True, result=ln.id)


def link(ws, source_id: int, target_id: int, relation: str = "see also") -> Change:
    return AddLink(source_id, target_id, relation).do(ws)


@dataclass
class SetLinkGone(Command):
    """Remove a link (soft: the row stays for the audit) or bring it back."""

    action = "unlink"
    link_id: int
    gone: bool = True

    def details(self) -> dict:
        return {"link": self.link_id, "gone": self.gone}

    def scope(self, s: Session) -> Scope:
        return [("link", f"id = {int(self.link_id)}")]

    def apply(self, ws, s: Session) -> Change:
        ln = s.get(Link, self.link_id)
        if ln is None or (self.gone and ln.deleted_at is not None):
            raise NotFound(f"No link {self.link_id}.")
        ln.deleted_at = now() if self.gone else None
        s.add(ln)
        summary = "Remove link" if self.gone else "Restore link"
        return Change(summary, passages={ln.source_id, ln.target_id}, links=True)


def unlink(ws, link_id: int) -> Change:
    return SetLinkGone(link_id, True).do(ws)


def relink(ws, link_id: int) -> Change:
    return SetLinkGone(link_id, False).do(ws)
