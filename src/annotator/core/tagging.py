"""Operations on passages and links. Each returns a Change with its inverse."""

import json
from collections.abc import Sequence

from sqlmodel import Session, select

from annotator.core import anchors
from annotator.core.changes import Change
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import Document, Link, Passage, PassageTheme, Theme, now, saved_id

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


def tag(
    ws,
    document_id: int,
    anchor: anchors.Anchor | None = None,
    theme_ids: Sequence[int] = (),
    note: str = "",
    important: bool = False,
    *,
    redact: bool = False,
    start: tuple[int, int] | None = None,
    end: tuple[int, int] | None = None,
    rects: list | None = None,
) -> Change:
    """Create a passage from an anchor (or a raw start/end) with its themes and note."""
    with ws.write("tag", {"document": document_id, "themes": list(theme_ids)}) as s:
        if s.get(Document, document_id) is None:
            raise NotFound(f"No document {document_id}.")
        if anchor is None:
            if start is None or end is None:
                raise InvalidInput("A passage needs a start and an end.")
            anchor = anchors.resolve(s, document_id, *start, *end)
        tids = _check_themes(s, list(theme_ids))
        p = Passage(
            document_id=document_id,
            start_page=anchor.start_page,
            start_char=anchor.start_char,
            end_page=anchor.end_page,
            end_char=anchor.end_char,
            rects=json.dumps(rects if rects is not None else anchor.rects or []),
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            day=anchor.day,
            tpage_from=anchor.tpage_from,
            line_from=anchor.line_from,
            tpage_to=anchor.tpage_to,
            line_to=anchor.line_to,
            note=note,
            author=ws.author,
            important=important,
            redact=redact,
        )
        s.add(p)
        s.flush()
        pid = saved_id(p)
        for tid in tids:
            s.add(PassageTheme(passage_id=pid, theme_id=tid))
    return Change(
        "Tag passage", passages={pid}, themes=True, inverse=lambda w: delete_passage(w, pid), result=pid
    )


def delete_passage(ws, pid: int) -> Change:
    """Soft delete: the row stays (undo restores it; the audit log keeps it)."""
    with ws.write("delete passage", {"passage": pid}) as s:
        p = _live(s, pid)
        p.deleted_at = now()
        s.add(p)
    return Change(
        "Delete passage", passages={pid}, themes=True, links=True, inverse=lambda w: restore_passage(w, pid)
    )


def restore_passage(ws, pid: int) -> Change:
    with ws.write("restore passage", {"passage": pid}) as s:
        p = s.get(Passage, pid)
        if p is None:
            raise NotFound(f"No passage {pid}.")
        p.deleted_at = None
        p.modified_at = now()
        s.add(p)
    return Change(
        "Restore passage", passages={pid}, themes=True, links=True, inverse=lambda w: delete_passage(w, pid)
    )


def set_note(ws, pid: int, note: str) -> Change:
    with ws.write("edit note", {"passage": pid, "note": note}) as s:
        p = _live(s, pid)
        old = p.note
        p.note, p.modified_at = note, now()
        s.add(p)
    return Change("Edit note", passages={pid}, inverse=lambda w: set_note(w, pid, old))


def set_flags(ws, pid: int, important: bool | None = None, redact: bool | None = None) -> Change:
    with ws.write("edit flags", {"passage": pid, "important": important, "redact": redact}) as s:
        p = _live(s, pid)
        old = (p.important, p.redact)
        if important is not None:
            p.important = important
        if redact is not None:
            p.redact = redact
        p.modified_at = now()
        s.add(p)
    return Change(
        "Edit flags", passages={pid}, inverse=lambda w: set_flags(w, pid, important=old[0], redact=old[1])
    )


def theme_ids_of(s: Session, pid: int) -> list[int]:
    return list(s.exec(select(PassageTheme.theme_id).where(PassageTheme.passage_id == pid)))


def set_themes(ws, pid: int, theme_ids: list[int]) -> Change:
    """Replace the themes of one passage."""
    with ws.write("set themes", {"passage": pid, "themes": list(theme_ids)}) as s:
        _live(s, pid)
        tids = _check_themes(s, list(theme_ids))
        old = theme_ids_of(s, pid)
        for pt in s.exec(select(PassageTheme).where(PassageTheme.passage_id == pid)):
            if pt.theme_id not in tids:
                s.delete(pt)
        for tid in tids:
            if tid not in old:
                s.add(PassageTheme(passage_id=pid, theme_id=tid))
        p = s.get(Passage, pid)
        p.modified_at = now()
        s.add(p)
    return Change("Change themes", passages={pid}, themes=True, inverse=lambda w: set_themes(w, pid, old))


def add_theme_to(ws, pids: list[int], theme_id: int) -> Change:
    """Give many passages one more theme (e.g. all search results)."""
    added = []
    with ws.write("add theme to passages", {"theme": theme_id, "count": len(pids)}) as s:
        _check_themes(s, [theme_id])
        for pid in pids:
            _live(s, pid)
            if s.get(PassageTheme, (pid, theme_id)) is None:
                s.add(PassageTheme(passage_id=pid, theme_id=theme_id))
                added.append(pid)
    return Change(
        f"Add theme to {len(added)} passages",
        passages=set(added),
        themes=True,
        inverse=lambda w: remove_theme_from(w, added, theme_id),
    )


def remove_theme_from(ws, pids: list[int], theme_id: int) -> Change:
    removed = []
    with ws.write("remove theme from passages", {"theme": theme_id, "count": len(pids)}) as s:
        for pid in pids:
            pt = s.get(PassageTheme, (pid, theme_id))
            if pt is not None:
                s.delete(pt)
                removed.append(pid)
    return Change(
        f"Remove theme from {len(removed)} passages",
        passages=set(removed),
        themes=True,
        inverse=lambda w: add_theme_to(w, removed, theme_id),
    )


def link(ws, source_id: int, target_id: int, relation: str = "see also") -> Change:
    relation = (relation or "").strip().lower()
    if not relation:
        raise InvalidInput("A link needs a relation, e.g. contradicts, corroborates or see also.")
    if source_id == target_id:
        raise InvalidInput("A passage cannot be linked to itself.")
    with ws.write("link", {"source": source_id, "target": target_id, "relation": relation}) as s:
        _live(s, source_id)
        _live(s, target_id)
        ln = Link(source_id=source_id, target_id=target_id, relation=relation, author=ws.author)
        s.add(ln)
        s.flush()
        lid = saved_id(ln)
    return Change(
        "Link passages",
        passages={source_id, target_id},
        links=True,
        inverse=lambda w: unlink(w, lid),
        result=lid,
    )


def unlink(ws, link_id: int) -> Change:
    with ws.write("unlink", {"link": link_id}) as s:
        ln = s.get(Link, link_id)
        if ln is None or ln.deleted_at is not None:
            raise NotFound(f"No link {link_id}.")
        ln.deleted_at = now()
        s.add(ln)
        ends = {ln.source_id, ln.target_id}
    return Change("Remove link", passages=ends, links=True, inverse=lambda w: relink(w, link_id))


def relink(ws, link_id: int) -> Change:
    with ws.write("relink", {"link": link_id}) as s:
        ln = s.get(Link, link_id)
        if ln is None:
            raise NotFound(f"No link {link_id}.")
        ln.deleted_at = None
        s.add(ln)
        ends = {ln.source_id, ln.target_id}
    return Change("Restore link", passages=ends, links=True, inverse=lambda w: unlink(w, link_id))
