"""Evidence bundles (PDF) and table exports (CSV, XLSX, DOCX, JSON) of a selection.

`export(ws, selection, out_path, fmt)` is the one entry point the CLI, the
window and the benchmarks call.
"""

from typing import TYPE_CHECKING
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError, DiskFull, InvalidInput, is_disk_full
from annotator.core.gcpause import paused
from annotator.core.export import naming
from annotator.core.export.selection import Selection, count, parse_days

if TYPE_CHECKING:
    from annotator.core.workspace import Workspace

FORMATS = ("pdf", "csv", "xlsx", "docx", "json", "qdpx")


class ExportCancelled(AnnotatorError):
    pass


@dataclass
class ExportReport:
    path: str
    format: str
    pages: int = 0
    passages: int = 0
    source_pages: int = 0
    unresolved: list[dict[str, object]] = field(default_factory=list)  # the link report

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "pages": self.pages,
            "passages": self.passages,
            "source_pages": self.source_pages,
            "unresolved_links": self.unresolved,
        }


def default_name(ws: "Workspace", selection: Selection, fmt: str = "pdf") -> str:
    return naming.bundle_name(
        ws.get("inquiry") or "", selection.title or ws.get("title") or "", selection.letter, fmt
    )


def export(
    ws: "Workspace",
    selection: Selection,
    out_path: str,
    fmt: str = "pdf",
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    overwrite: bool = False,
) -> ExportReport:
    """Write the selection to `out_path` (a file, or a folder for the standard name).

    Nothing half-written is ever left: the file is built beside the target
    and moved into place at the end. An existing file is replaced only
    with `overwrite=True`."""
    from annotator.core.export import bundle, jsonio, plan, tables

    fmt = (fmt or "pdf").lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format '{fmt}'; choose one of {', '.join(FORMATS)}.")
    selection.check()
    inquiry = ws.get("inquiry") or ""
    title = selection.title or ws.get("title") or "Bundle"
    path = naming.target_path(os.fspath(out_path), inquiry, title, selection.letter, fmt)
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
                    report.passages = len(p.extracts)
                    report.unresolved = p.unresolved
                    if not p.extracts:
                        raise InvalidInput("No passages match this selection; nothing was written.")
                    if fmt == "pdf":
                        report.pages = bundle.build(ws, p, title, selection.letter, tmp, progress, cancelled)
                        report.source_pages = (
                            len(
                                {
                                    (e.doc.id, i)
                                    for e in p.extracts
                                    for i in range(e.start_page, e.end_page + 1)
                                }
                            )
                            if selection.source_pages
                            else 0
                        )
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
