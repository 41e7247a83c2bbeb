"""Complete JSON export, and reading it back into an empty workspace.

With no filter the file holds the whole workspace (every document with
its original bytes, pages, lines, themes, passages including deleted ones,
links, saved searches and settings), so `import_json` rebuilds it without
loss. With a filter it holds the selected passages, the documents they
come from, every theme, and the links between included passages.
"""

from typing import Any, TYPE_CHECKING
import base64
import json
from collections.abc import Callable, Iterable
from datetime import datetime, UTC

from sqlalchemy.exc import OperationalError, StatementError
from sqlmodel import Session, col, select

from annotator import __version__
from annotator.core.util.errors import InvalidInput
from annotator.core.export.selection import Selection, passages
from annotator.core.evidence.anchors import AREA_FIELDS, RANGE_FIELDS
from annotator.core.store.models import (
    Blob,
    Document,
    DocumentVersion,
    Line,
    Link,
    Page,
    Passage,
    PassageTheme,
    SavedSearch,
    Setting,
    Theme,
    saved_id,
)

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

FORMAT = "annotator-workspace"
VERSION = 1
DOC_FIELDS = (
    "id",
    "kind",
    "title",
    "urn",
    "witness",
    "date",
    "day",
    "sha256",
    "filename",
    "source_format",
    "page_count",
    "has_text",
    "flags",
    "imported_at",
    "position",
    "exhibits",
)
PAGE_FIELDS = ("index", "label", "width", "height", "rotation", "text")
LINE_FIELDS = (
    "page_index",
    "seq",
    "tpage",
    "line",
    "day",
    "speaker",
    "role",
    "text",
    "char_start",
    "char_end",
    "x0",
    "y0",
    "x1",
    "y1",
    "para",
)
THEME_FIELDS = ("id", "name", "parent_id", "colour", "shortcut", "position", "builtin")
PASSAGE_FIELDS = (
    "id",
    "document_id",
    *RANGE_FIELDS,
    *AREA_FIELDS,
    "note",
    "author",
    "important",
    "redact",
    "created_at",
    "modified_at",
    "deleted_at",
)
LINK_FIELDS = ("id", "source_id", "target_id", "relation", "author", "created_at", "deleted_at")


ANCHOR_FIELDS = ("anchor", "old_quote")  # what a new version of its document did to a passage
VERSION_FIELDS = ("number", "sha256", "filename", "source_format", "page_count", "imported_at", "report")


def _versions(s: Session, d: Document) -> list[dict[str, Any]]:
    """A document's versions; the earlier files go with them (the current one is `original`)."""
    out: list[dict[str, Any]] = []
    for v in s.exec(select(DocumentVersion).where(DocumentVersion.document_id == d.id)):
        entry = _pick(v, VERSION_FIELDS)
        blob = s.get(Blob, v.sha256) if v.sha256 != d.sha256 else None
        entry["base64"] = base64.b64encode(blob.data).decode("ascii") if blob else None
        out.append(entry)
    return out


def _put_versions(s: Session, d: dict[str, Any]) -> None:
    """`d`: a document as the file holds it (JSON read back, checked as it is used)."""
    for v in d.get("versions", []):
        if v.get("base64") is not None and s.get(Blob, v["sha256"]) is None:
            raw = base64.b64decode(v["base64"])
            s.add(Blob(sha256=v["sha256"], size=len(raw), data=raw))
            s.flush()
        s.add(DocumentVersion(document_id=d["id"], **{k: v[k] for k in VERSION_FIELDS}))


def _pick(obj: object, names: Iterable[str]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


def is_everything(sel: Selection) -> bool:
    return not (
        sel.themes
        or sel.documents
        or sel.witnesses
        or sel.important_only
        or sel.day_from is not None
        or sel.day_to is not None
        or sel.date_from
        or sel.date_to
    )


def dump(
    ws: "Workspace",
    sel: Selection,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    whole = is_everything(sel)
    with ws.session() as s:
        if whole:
            ps = list(s.exec(select(Passage).order_by(col(Passage.id))))
            docs = list(s.exec(select(Document).order_by(col(Document.id))))
            links = list(s.exec(select(Link).order_by(col(Link.id))))
        else:
            ps = sorted(passages(s, sel), key=saved_id)
            ids = {p.id for p in ps}
            doc_ids = {p.document_id for p in ps}
            docs = list(
                s.exec(select(Document).where(col(Document.id).in_(doc_ids)).order_by(col(Document.id)))
            )
            links = [
                ln
                for ln in s.exec(select(Link).order_by(col(Link.id)))
                if ln.source_id in ids and ln.target_id in ids
            ]
        pt: dict[int, list[int]] = {}
        for row in s.exec(select(PassageTheme)):
            pt.setdefault(row.passage_id, []).append(row.theme_id)
        out_docs = []
        for n, d in enumerate(docs):
            if cancelled and cancelled():
                raise InterruptedError
            blob = s.get(Blob, d.sha256)
            entry = _pick(d, DOC_FIELDS)
            entry["original"] = {
                "sha256": d.sha256,
                "size": blob.size if blob else 0,
                "base64": base64.b64encode(blob.data).decode("ascii") if blob else None,
            }
            entry["pages"] = [
                _pick(p, PAGE_FIELDS)
                for p in s.exec(select(Page).where(col(Page.document_id) == d.id).order_by(col(Page.index)))
            ]
            entry["line_fields"] = list(LINE_FIELDS)
            entry["lines"] = [
                [getattr(ln, f) for f in LINE_FIELDS]
                for ln in s.exec(select(Line).where(col(Line.document_id) == d.id).order_by(col(Line.seq)))
            ]
            entry["versions"] = _versions(s, d)
            out_docs.append(entry)
            if progress:
                progress(n + 1, len(docs), f"Documents: {d.title}")
        data = {
            "format": FORMAT,
            "version": VERSION,
            "app_version": __version__,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "complete": whole,
            "selection": sel.as_dict(),
            "settings": {r.key: json.loads(r.value) for r in s.exec(select(Setting).order_by(Setting.key))},
            "themes": [_pick(t, THEME_FIELDS) for t in s.exec(select(Theme).order_by(col(Theme.id)))],
            "documents": out_docs,
            "passages": [
                dict(
                    _pick(p, PASSAGE_FIELDS + ANCHOR_FIELDS),
                    rects=json.loads(p.rects or "[]"),
                    themes=sorted(pt.get(saved_id(p), [])),
                )
                for p in ps
            ],
            "links": [_pick(ln, LINK_FIELDS) for ln in links],
            "saved_searches": [
                {"name": x.name, "query": x.query, "created_at": x.created_at}
                for x in s.exec(select(SavedSearch).order_by(col(SavedSearch.id)))
            ],
        }
    return data


def write(
    ws: "Workspace",
    sel: Selection,
    path: str,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    data = dump(ws, sel, progress, cancelled)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    return data


def load(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as err:
        raise InvalidInput(f"Cannot read {path}: {err.strerror}.") from err
    except ValueError as err:
        raise InvalidInput(f"{path} is not valid JSON ({err}).") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not an Annotator JSON export.")
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput(f"{path} is not an Annotator JSON export (its version is not a number).")
    if version > VERSION:
        raise InvalidInput(f"{path} was written by a newer Annotator; update to read it.")
    return data


def import_json(
    ws: "Workspace", path: str, progress: Callable[[int, int, str], None] | None = None
) -> dict[str, Any]:
    """Rebuild the exported workspace inside an empty one; returns counts."""
    data = load(path)
    with ws.session() as s:
        if s.exec(select(Document)).first() or s.exec(select(Passage)).first():
            raise InvalidInput("import-json needs a new, empty workspace; this one already holds documents.")
    try:
        with ws.write("import json", {"file": path, "documents": len(data["documents"])}) as s:
            for t in s.exec(select(Theme)):
                s.delete(t)
            s.flush()
            for key, value in data.get("settings", {}).items():
                s.merge(Setting(key=key, value=json.dumps(value)))
            pending = {t["id"]: t for t in data["themes"]}
            while pending:  # parents before children
                ready = [
                    t for t in pending.values() if t["parent_id"] is None or t["parent_id"] not in pending
                ]
                if not ready:
                    raise InvalidInput("The themes in this file form a loop.")
                for t in ready:
                    s.add(Theme(**{k: t[k] for k in THEME_FIELDS}))
                    del pending[t["id"]]
                s.flush()
            for n, d in enumerate(data["documents"]):
                orig = d.get("original") or {}
                if orig.get("base64") is not None and s.get(Blob, d["sha256"]) is None:
                    raw = base64.b64decode(orig["base64"])
                    s.add(Blob(sha256=d["sha256"], size=len(raw), data=raw))
                    s.flush()
                s.add(Document(**{k: d[k] for k in DOC_FIELDS if k in d}))  # older files lack some
                s.flush()
                for p in d["pages"]:
                    s.add(Page(document_id=d["id"], **{k: p[k] for k in PAGE_FIELDS}))
                names = d.get("line_fields", LINE_FIELDS)
                for row in d["lines"]:
                    s.add(Line(document_id=d["id"], **dict(zip(names, row, strict=False))))
                _put_versions(s, d)
                s.flush()
                if progress:
                    progress(n + 1, len(data["documents"]), d["title"])
            for p in data["passages"]:
                fields = {k: p[k] for k in PASSAGE_FIELDS if k in p}  # older files lack paragraphs
                fields |= {k: p.get(k, "") for k in ANCHOR_FIELDS}
                fields["rects"] = json.dumps(p["rects"])
                s.add(Passage(**fields))
            s.flush()
            for p in data["passages"]:
                for tid in p.get("themes", []):
                    s.add(PassageTheme(passage_id=p["id"], theme_id=tid))
            for ln in data["links"]:
                s.add(Link(**{k: ln[k] for k in LINK_FIELDS}))
            for x in data.get("saved_searches", []):
                s.add(SavedSearch(**x))
    except (KeyError, TypeError) as err:
        raise InvalidInput(f"{path} is incomplete or damaged (missing {err}); nothing was imported.") from err
    except (AttributeError, ValueError, OverflowError, StatementError) as err:
        if isinstance(err, OperationalError):  # the disk, not the file
            raise
        why = str(getattr(err, "orig", None) or err).splitlines()[0][:120]
        raise InvalidInput(f"{path} is damaged ({why}); nothing was imported.") from err
    return {
        "documents": len(data["documents"]),
        "passages": len(data["passages"]),
        "links": len(data["links"]),
        "themes": len(data["themes"]),
    }
