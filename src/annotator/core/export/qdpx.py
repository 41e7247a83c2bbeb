"""REFI-QDA project exchange (.qdpx): themes become codes, passages coded text selections.

A .qdpx file is a ZIP holding project.qde (XML, namespace urn:QDA-XML:project:1.0)
and the sources. Each document goes in as plain text (its stored pages joined
by form feeds), so positions are character offsets into that text; that is
the form NVivo, ATLAS.ti, MAXQDA and QualCoder all read.
"""

from typing import TYPE_CHECKING
import uuid
import zipfile
from datetime import datetime, UTC
from xml.sax import saxutils

from sqlmodel import col, select

from annotator.core.export.plan import Extract, Plan
from annotator.core.store.models import Page, Theme, saved_id
from annotator.core.util.safetext import xml_text

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

NS = "urn:QDA-XML:project:1.0"
PAGE_BREAK = "\f"


def escape(text: str) -> str:
    return saxutils.escape(xml_text(text))


def quoteattr(text: str) -> str:
    return saxutils.quoteattr(xml_text(text))


def _guid(kind: str, key: object) -> str:
    """Stable GUIDs, so exporting twice gives the same identities."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"annotator:{kind}:{key}"))


def _when(iso: str | None) -> str:
    if not iso:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return iso.replace("+00:00", "Z") if iso.endswith("+00:00") else iso


def _codes(themes: list[Theme], parent: int | None, depth: int = 0) -> list[str]:
    out = []
    for t in themes:
        if t.parent_id != parent:
            continue
        inner = _codes(themes, t.id, depth + 1)
        attrs = f'guid="{_guid("theme", t.id)}" name={quoteattr(t.name)} isCodable="true" color="{t.colour}"'
        if inner:
            out.append(f"<Code {attrs}>" + "".join(inner) + "</Code>")
        else:
            out.append(f"<Code {attrs}/>")
    return out


def write(ws: "Workspace", plan: Plan, path: str, title: str) -> None:
    with ws.session() as s:
        themes = list(s.exec(select(Theme).order_by(col(Theme.position), col(Theme.id))))
        texts: dict[int | None, list[str]] = {}
        for d in plan.documents:
            rows = s.exec(
                select(col(Page.index), col(Page.text))
                .where(col(Page.document_id) == d.id)
                .order_by(col(Page.index))
            )
            texts[d.id] = [text for _i, text in rows]
    users = sorted({e.author for e in plan.extracts if e.author} | {plan.author or "Annotator"})
    parts = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name={quoteattr(title)} '
        f'origin="Annotator" creationDateTime="{_when(None)}">',
        "<Users>"
        + "".join(f'<User guid="{_guid("user", u)}" name={quoteattr(u)}/>' for u in users)
        + "</Users>",
        "<CodeBook><Codes>" + "".join(_codes(themes, None)) + "</Codes></CodeBook>",
        "<Sources>",
    ]
    by_doc: dict[int, list[Extract]] = {}
    for e in plan.extracts:
        by_doc.setdefault(saved_id(e.doc), []).append(e)
    files = {}
    for d in plan.documents:
        pages = texts[d.id]
        starts, pos = [], 0
        for t in pages:
            starts.append(pos)
            pos += len(t) + len(PAGE_BREAK)
        body = PAGE_BREAK.join(pages)
        sguid = _guid("document", d.sha256)
        files[f"sources/{sguid}.txt"] = body
        parts.append(
            f'<TextSource guid="{sguid}" name={quoteattr(d.title or d.filename)} '
            f'plainTextPath="internal://{sguid}.txt" creationDateTime="{_when(d.imported_at)}">'
        )
        if d.urn or d.witness or d.date:
            info = "; ".join(x for x in (d.urn, d.witness, d.date) if x)
            parts.append(f"<Description>{escape(info)}</Description>")
        for e in by_doc.get(saved_id(d), []):
            a = starts[e.start[0]] + e.start[1]
            b = starts[e.end[0]] + e.end[1]
            user = _guid("user", e.author or plan.author or "Annotator")
            parts.append(
                f'<PlainTextSelection guid="{_guid("passage", e.id)}" name={quoteattr(e.citation)} '
                f'startPosition="{a}" endPosition="{b}" creatingUser="{user}">'
            )
            if e.note and plan.selection.notes:
                parts.append(f"<Description>{escape(e.note)}</Description>")
            for theme in e.themes:
                parts.append(
                    f'<Coding guid="{_guid("coding", f"{e.id}:{theme.id}")}" creatingUser="{user}">'
                    f'<CodeRef targetGUID="{_guid("theme", theme.id)}"/></Coding>'
                )
            parts.append("</PlainTextSelection>")
        parts.append("</TextSource>")
    parts.append("</Sources>")
    links = [(e, r) for e in plan.extracts for r in e.refs if r.direction == "out" and r.status == "ok"]
    if links:
        parts.append(
            "<Links>"
            + "".join(
                f'<Link guid="{_guid("link", f"{e.id}:{r.other_id}:{r.relation}")}" name={quoteattr(r.relation)} '
                f'direction="OneWay" originGUID="{_guid("passage", e.id)}" targetGUID="{_guid("passage", r.other_id)}"/>'
                for e, r in links
            )
            + "</Links>"
        )
    parts.append("</Project>\n")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", "".join(parts).encode("utf-8"))
        for name, body in files.items():
            z.writestr(name, body.encode("utf-8"))
