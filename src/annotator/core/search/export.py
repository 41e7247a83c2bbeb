"""Every result of a search, page by page, and a CSV file of them."""

from typing import TYPE_CHECKING
import csv
import os
from collections.abc import Callable, Iterable, Iterator

from annotator.core.util.errors import InvalidInput
from annotator.core.util.safetext import csv_row
from annotator.core.search.hits import Hit

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

PAGE = 2000
MAX_ROWS = 200_000
COLUMNS = (
    "kind",
    "document",
    "urn",
    "citation",
    "snippet",
    "themes",
    "passage_id",
    "document_id",
    "page",
    "char_start",
    "char_end",
)


def all_hits(
    ws: "Workspace",
    query: str,
    order: str = "document",
    cap: int = MAX_ROWS,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[Hit]:
    """Yield hits of every page (up to `cap`); progress(done, total) after each page."""
    from annotator.core.search import search

    offset, total = 0, None
    while total is None or offset < min(total, cap):
        if cancelled and cancelled():
            return
        res = search(
            ws,
            query,
            limit=min(PAGE, cap - offset),
            offset=offset,
            order=order,
            timeout=60.0,
            cancelled=cancelled,
        )
        total = res.total
        if not res.hits:
            return
        yield from res.hits
        offset += len(res.hits)
        if progress:
            progress(offset, min(total, cap))


def row(hit: Hit) -> list[object]:
    return [
        hit.kind,
        hit.document,
        hit.urn,
        hit.citation,
        hit.snippet,
        "; ".join(hit.themes),
        hit.passage_id or "",
        hit.document_id,
        hit.page_index + 1,
        hit.char_start,
        hit.char_end,
    ]


def write_csv(path: str, hits: Iterable[Hit]) -> int:
    """Write hits to a CSV file (UTF-8 with BOM so spreadsheets read accents); returns rows."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InvalidInput(f"The folder {folder} does not exist.")
    tmp = path + ".part"
    n = 0
    try:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
            out = csv.writer(fh)
            out.writerow(COLUMNS)
            for hit in hits:
                out.writerow(csv_row(row(hit)))
                n += 1
        os.replace(tmp, path)
    except OSError as err:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise InvalidInput(f"Could not write {os.path.basename(path)}: {err.strerror}.") from err
    return n
