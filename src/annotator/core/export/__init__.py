"""Evidence bundles (PDF) and table exports (CSV, XLSX, DOCX, JSON) of a selection.

`export(ws, selection, out_path, fmt)` is the one entry point the CLI, the
window and the benchmarks call.
"""

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict
from dataclasses import dataclass, field

from annotator.core.util.errors import AnnotatorError, DiskFull, InvalidInput, is_disk_full
from annotator.core.util.gcpause import paused
from annotator.core.store import settings
from annotator.core.export import naming
from annotator.core.export.selection import Selection, count, parse_days

if TYPE_CHECKING:
    from annotator.core.export.editions import Previous
    from annotator.core.export.plan import Plan
    from annotator.core.store.workspace import Workspace

FORMATS = settings.EXPORT_FORMATS


class ExportCancelled(AnnotatorError):
    pass


class EditionChanges(TypedDict, total=False):
    """What a re-issue changed, by extract number and page label (empty otherwise)."""

    previous_edition: int
    added: list[str]
    withdrawn: list[str]
    changed: list[str]
    inserted_pages: list[str]


@dataclass
class ExportReport:
    path: str
    format: str
    pages: int = 0
    passages: int = 0
    source_pages: int = 0
    unresolved: list[dict[str, Any]] = field(default_factory=list)  # the link report (plan.unresolved)
    edition: int = 0  # the edition number recorded for a PDF bundle (0: not recorded)
    changes: EditionChanges = field(default_factory=EditionChanges)  # a re-issue's, else empty
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "pages": self.pages,
            "passages": self.passages,
            "source_pages": self.source_pages,
            "unresolved_links": self.unresolved,
            "edition": self.edition,
            "changes": self.changes,
            "notices": self.notices,
        }


def default_name(ws: "Workspace", selection: Selection, fmt: str = "pdf") -> str:
    return naming.bundle_name(
        ws.get("inquiry") or "", selection.title or ws.get("title") or "", selection.letter, fmt
    )


def export(
    ws: "Workspace",
    selection: Selection | None,
    out_path: str,
    fmt: str = "pdf",
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    overwrite: bool = False,
    reissue: str | None = None,
) -> ExportReport:
    """Write the selection to `out_path` (a file, or a folder for the standard name).

    `reissue`: the path of a PDF bundle this workspace exported; the new edition keeps
    its page numbers (selection None: the same passages as then).

    Nothing half-written is ever left: the file is built beside the target
    and moved into place at the end. An existing file is replaced only
    with `overwrite=True`."""
    from annotator.core.export import bundle, editions, jsonio, plan, tables

    fmt = (fmt or "pdf").lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format '{fmt}'; choose one of {', '.join(FORMATS)}.")
    prev = None
    if reissue:
        if fmt != "pdf":
            raise InvalidInput("Only a PDF bundle can be re-issued; choose the PDF format.")
        prev = editions.find(ws, os.fspath(reissue))
        selection = editions.selection_for(prev, selection)
    if selection is None:
        raise InvalidInput("Choose the passages to export (or a bundle to re-issue).")
    selection.check()
    inquiry = ws.get("inquiry") or ""
    title = selection.title or ws.get("title") or "Bundle"
    number = prev.number + 1 if prev else 1
    path = naming.target_path(os.fspath(out_path), inquiry, title, selection.letter, fmt, number)
    report = ExportReport(path, fmt)
    try:
        with naming.atomic(path, overwrite) as tmp:
            if fmt == "json":
                data = jsonio.write(ws, selection, tmp, progress, cancelled)
                report.passages = len(data["passages"])
            else:
                with paused():  # a bundle makes hundreds of thousands of objects and no cycles (see gcpause)
                    with ws.session() as s:
                        p = plan.build(s, selection, inquiry, ws.get("title") or "", ws.author)
                        why = editions.reasons(s, prev, {e.id for e in p.extracts}) if prev else {}
                    report.passages = len(p.extracts)
                    report.unresolved = p.unresolved
                    if not p.extracts and not prev:
                        raise InvalidInput("No passages match this selection; nothing was written.")
                    if fmt == "pdf":
                        _bundle(ws, p, selection, title, tmp, path, prev, why, report, progress, cancelled)
                    elif fmt == "csv":
                        tables.write_csv(p, tmp)
                    elif fmt == "xlsx":
                        tables.write_xlsx(p, tmp, title)
                    elif fmt == "qdpx":
                        from annotator.core.export import qdpx

                        qdpx.write(ws, p, tmp, title)
                    else:
                        tables.write_docx(p, tmp, title)
            if cancelled and cancelled():
                raise InterruptedError
    except (bundle.Cancelled, InterruptedError):
        raise ExportCancelled("The export was cancelled; no file was written.") from None
    except OSError as err:
        if is_disk_full(err, path):
            raise DiskFull(
                f"The disk is full: {os.path.basename(path)} was not written (nothing half-written was left)."
            ) from err
        raise AnnotatorError(f"Could not write {os.path.basename(path)}: {err.strerror or err}.") from err
    except Exception as err:  # MuPDF reports failed writes as its own exception types
        if is_disk_full(err, path):
            raise DiskFull(
                f"The disk is full: {os.path.basename(path)} was not written (nothing half-written was left)."
            ) from err
        raise
    return report


def _bundle(
    ws: "Workspace",
    p: "Plan",
    selection: Selection,
    title: str,
    tmp: str,
    path: str,
    prev: "Previous | None",
    why: dict[int, str],
    report: ExportReport,
    progress: Callable[[int, int, str], None] | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    """Write the PDF bundle (a re-issue of `prev` when given) and record its edition."""
    import uuid

    from annotator.core.export import bundle, editions
    from annotator.core.export.editions import reissue

    layout = reissue.Reissue(p, prev, why) if prev else None
    if layout:
        p = layout.plan
    uid = uuid.uuid4().hex
    built = bundle.build(ws, p, title, selection.letter, tmp, progress, cancelled, layout, uid)
    report.pages = built.pages
    report.source_pages = sum(1 for sp in built.src_pages if not sp.note)
    if layout:
        old_labels = set(layout.prev.plan["labels"])
        report.changes = {
            "previous_edition": layout.prev.number,
            "added": [e.number for e in layout.added],
            "withdrawn": [e.number for e, _page in layout.withdrawn],
            "changed": [e.number for e, _what in layout.changed],
            "inserted_pages": [lb for lb in built.labels if lb not in old_labels],
        }
        report.notices += layout.notes()
    if cancelled and cancelled():
        raise InterruptedError
    if ws.readonly:
        report.notices.append(
            "This edition was not recorded, as the workspace is open read-only; it cannot be re-issued later."
        )
        return
    report.edition = editions.record(ws, tmp, path, selection, title, p, built, prev, uid)


__all__ = [
    "export",
    "ExportReport",
    "ExportCancelled",
    "Selection",
    "count",
    "parse_days",
    "default_name",
    "FORMATS",
]
