"""Acting on results: tag many hits in one undoable step; saved searches.

Tagging results gives each passage hit the theme, and turns each line hit
into a new passage (the whole line) with that theme, all in one write
transaction. Its undo removes exactly what was added, so one undo puts
everything back.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
import json
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from annotator.core.evidence import anchors
from annotator.core.evidence.changes import Change, Command, Scope, ints
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Line, Passage, PassageTheme, SavedSearch, Theme

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

MAX_TAG = 10_000


@dataclass
class TagHits(Command):
    """Give every hit a theme; `hits` are search hits (or dicts with kind and id)."""

    action = "tag search results"
    items: list[tuple[str, int]]
    theme_id: int
    note: str = ""
    created: list[int] = field(default_factory=list)

    def details(self) -> dict[str, object]:
        return {"theme": self.theme_id, "count": len(self.items)}

    def scope(self, s: Session) -> Scope:
        return [
            ("passage", f"id IN ({ints(self.created)})"),
            ("passage_theme", f"theme_id = {int(self.theme_id)} OR passage_id IN ({ints(self.created)})"),
        ]

    def apply(self, ws: "Workspace", s: Session) -> Change:
        theme = s.get(Theme, self.theme_id)
        if theme is None:
            raise NotFound(f"No theme {self.theme_id}.")
        created: list[int] = []
        added: list[int] = []
        seen_lines: set[int] = set()
        for kind, ident in self.items:
            if kind == "passage":
                _give(s, ident, self.theme_id, added)
            elif ident not in seen_lines:
                seen_lines.add(ident)
                pid, new = _passage_for_line(s, ws, ident, self.note)
                if new and pid is not None:
                    s.add(PassageTheme(passage_id=pid, theme_id=self.theme_id))
                    created.append(pid)
                elif pid is not None:
                    _give(s, pid, self.theme_id, added)
        self.created = created
        n = len(created) + len(added)
        return Change(
            f"Tag {n} results with {theme.name}",
            passages=set(created) | set(added),
            themes=True,
            result=created,
        )


def tag_hits(ws: "Workspace", hits: Sequence[object], theme_id: int, note: str = "") -> Change:
    items = [(_get(h, "kind"), int(_get(h, "id"))) for h in hits]
    if not items:
        raise InvalidInput("No results to tag.")
    if len(items) > MAX_TAG:
        raise InvalidInput(f"At most {MAX_TAG:,} results can be tagged at once; narrow the search.")
    return TagHits(items, theme_id, note).do(ws)


def _get(h: object, key: str) -> Any:
    return h[key] if isinstance(h, dict) else getattr(h, key)


def _give(s: Session, pid: int, theme_id: int, added: list[int]) -> None:
    p = s.get(Passage, pid)
    if p is None or p.deleted_at is not None or pid in added:
        return
    if s.get(PassageTheme, (pid, theme_id)) is None:
        s.add(PassageTheme(passage_id=pid, theme_id=theme_id))
        added.append(pid)


def _passage_for_line(s: Session, ws: "Workspace", line_id: int, note: str) -> tuple[int | None, bool]:
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
        para_from=a.para_from,
        para_to=a.para_to,
        note=note,
        author=ws.author,
    )
    s.add(p)
    s.flush()
    return p.id, True


# ---- saved searches ---------------------------------------------------
def saved(s: Session) -> list[SavedSearch]:
    return list(s.exec(select(SavedSearch).order_by(SavedSearch.name)))


def find_saved(s: Session, name: str) -> SavedSearch:
    name = (name or "").strip()
    for row in saved(s):
        if row.name.lower() == name.lower():
            return row
    raise NotFound(f"No saved search called '{name}'.")


@dataclass
class SaveSearch(Command):
    """Save (or replace) a named search, or delete one (query None)."""

    action = "save search"
    name: str
    query: str | None

    def details(self) -> dict[str, object]:
        return {"name": self.name, "query": self.query}

    def scope(self, s: Session) -> Scope:
        return [("saved_search", "1")]

    def apply(self, ws: "Workspace", s: Session) -> Change:
        if self.query is None:
            row = find_saved(s, self.name)
            s.delete(row)
            return Change(f"Delete saved search {row.name}", result=row.name)
        old = next((r for r in saved(s) if r.name.lower() == self.name.lower()), None)
        if old:
            old.query = self.query
            s.add(old)
        else:
            s.add(SavedSearch(name=self.name, query=self.query))
        return Change(f"Save search {self.name}", result=self.name)


def save_search(ws: "Workspace", name: str, query: str) -> Change:
    """Save (or replace) a named search; undo restores what was there."""
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("A saved search needs a name.")
    if not (query or "").strip():
        raise InvalidInput("There is no search to save: type a query first.")
    return SaveSearch(name, query).do(ws)


def delete_search(ws: "Workspace", name: str) -> Change:
    return SaveSearch(name, None).do(ws)


def saved_list(ws: "Workspace") -> list[tuple[str, str]]:
    """(name, query) of every saved search, by name: for the window's menu."""
    with ws.session() as s:
        return [(r.name, r.query) for r in saved(s)]
