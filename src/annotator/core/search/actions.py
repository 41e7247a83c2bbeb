"""Acting on results: tag many hits in one undoable step; saved searches.

Tagging results gives each passage hit the theme, and turns each line hit
into a new passage (the whole line) with that theme, all in one write
transaction. Its inverse removes exactly what was added, so one undo puts
everything back.
"""

import json

from sqlmodel import Session, col, select

from annotator.core import anchors
from annotator.core.changes import Change
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import Line, Passage, PassageTheme, SavedSearch, Theme, now

MAX_TAG = 10_000


def tag_hits(ws, hits: list, theme_id: int, note: str = "") -> Change:
    """Give every hit a theme; `hits` are search hits (or dicts with kind and id)."""
    items = [(_get(h, "kind"), int(_get(h, "id"))) for h in hits]
    if not items:
        raise InvalidInput("No results to tag.")
    if len(items) > MAX_TAG:
        raise InvalidInput(f"At most {MAX_TAG:,} results can be tagged at once; narrow the search.")
    created: list[int] = []
    added: list[int] = []
    with ws.write("tag search results", {"theme": theme_id, "count": len(items)}) as s:
        theme = s.get(Theme, theme_id)
        if theme is None:
            raise NotFound(f"No theme {theme_id}.")
        seen_lines: set[int] = set()
        for kind, ident in items:
            if kind == "passage":
                _give(s, ident, theme_id, added)
            elif ident not in seen_lines:
                seen_lines.add(ident)
                pid, new = _passage_for_line(s, ws, ident, note)
                if new and pid is not None:
                    s.add(PassageTheme(passage_id=pid, theme_id=theme_id))
                    created.append(pid)
                elif pid is not None:
                    _give(s, pid, theme_id, added)
        name = theme.name
    n = len(created) + len(added)
    return Change(
        f"Tag {n} results with {name}",
        passages=set(created) | set(added),
        themes=True,
        inverse=lambda w: _untag(w, created, added, theme_id),
        result=created,
    )


def _get(h, key):
    return h[key] if isinstance(h, dict) else getattr(h, key)


def _give(s: Session, pid: int, theme_id: int, added: list[int]) -> None:
    p = s.get(Passage, pid)
    if p is None or p.deleted_at is not None or pid in added:
        return
    if s.get(PassageTheme, (pid, theme_id)) is None:
        s.add(PassageTheme(passage_id=pid, theme_id=theme_id))
        added.append(pid)


def _passage_for_line(s: Session, ws, line_id: int, note: str) -> tuple[int | None, bool]:
    """(passage id, created now): a live passage covering the whole line, else a new one."""
    ln = s.get(Line, line_id)
    if ln is None or not ln.text.strip():
        return None, False
    cover = s.exec(
        select(Passage.id).where(
            Passage.document_id == ln.document_id,
            col(Passage.deleted_at).is_(None),
            Passage.start_page == ln.page_index,
            Passage.end_page == ln.page_index,
            Passage.start_char <= ln.char_start,
            Passage.end_char >= ln.char_end,
        )
    ).first()
    if cover is not None:
        return cover, False
    a = anchors.resolve(s, ln.document_id, ln.page_index, ln.char_start, ln.page_index, ln.char_end)
    p = Passage(
        document_id=ln.document_id,
        start_page=a.start_page,
        start_char=a.start_char,
        end_page=a.end_page,
        end_char=a.end_char,
        rects=json.dumps(a.rects or []),
        quote=a.quote,
        prefix=a.prefix,
        suffix=a.suffix,
        day=a.day,
        tpage_from=a.tpage_from,
        line_from=a.line_from,
        tpage_to=a.tpage_to,
        line_to=a.line_to,
        note=note,
        author=ws.author,
    )
    s.add(p)
    s.flush()
    return p.id, True


def _untag(ws, created: list[int], added: list[int], theme_id: int) -> Change:
    with ws.write("untag search results", {"theme": theme_id, "count": len(created) + len(added)}) as s:
        stamp = now()
        for pid in created:
            p = s.get(Passage, pid)
            if p is not None:
                p.deleted_at = stamp
                s.add(p)
        for pid in added:
            pt = s.get(PassageTheme, (pid, theme_id))
            if pt is not None:
                s.delete(pt)
    return Change(
        f"Untag {len(created) + len(added)} results",
        passages=set(created) | set(added),
        themes=True,
        inverse=lambda w: _retag(w, created, added, theme_id),
    )


def _retag(ws, created: list[int], added: list[int], theme_id: int) -> Change:
    with ws.write("retag search results", {"theme": theme_id, "count": len(created) + len(added)}) as s:
        for pid in created:
            p = s.get(Passage, pid)
            if p is not None:
                p.deleted_at = None
                p.modified_at = now()
                s.add(p)
        for pid in added:
            if s.get(PassageTheme, (pid, theme_id)) is None:
                s.add(PassageTheme(passage_id=pid, theme_id=theme_id))
    return Change(
        f"Tag {len(created) + len(added)} results",
        passages=set(created) | set(added),
        themes=True,
        inverse=lambda w: _untag(w, created, added, theme_id),
    )


# ---- saved searches ---------------------------------------------------
def saved(s: Session) -> list[SavedSearch]:
    return list(s.exec(select(SavedSearch).order_by(SavedSearch.name)))


def find_saved(s: Session, name: str) -> SavedSearch:
    name = (name or "").strip()
    for row in saved(s):
        if row.name.lower() == name.lower():
            return row
    raise NotFound(f"No saved search called '{name}'.")


def save_search(ws, name: str, query: str) -> Change:
    """Save (or replace) a named search; undo restores what was there."""
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("A saved search needs a name.")
    if not (query or "").strip():
        raise InvalidInput("There is no search to save: type a query first.")
    with ws.write("save search", {"name": name, "query": query}) as s:
        old = next((r for r in saved(s) if r.name.lower() == name.lower()), None)
        before = old.query if old else None
        if old:
            old.query = query
            s.add(old)
        else:
            s.add(SavedSearch(name=name, query=query))
    undo = (
        (lambda w: save_search(w, name, before)) if before is not None else (lambda w: delete_search(w, name))
    )
    return Change(f"Save search {name}", inverse=undo, result=name)


def delete_search(ws, name: str) -> Change:
    with ws.write("delete saved search", {"name": name}) as s:
        row = find_saved(s, name)
        query, real = row.query, row.name
        s.delete(row)
    return Change(f"Delete saved search {real}", inverse=lambda w: save_search(w, real, query))
