"""Conflicts in words, for the review list: what the row is, and each side's version
(theme names rather than uids, page numbers, "(deleted)"). Read-only, local, Qt-free."""

from annotator.core.team import local
from annotator.core.team.conflicts import HIDDEN
from annotator.core.team.tables import SPECS

DELETED = "(deleted)"
HIDDEN_TEXT = "(made private by its owner: no longer shared with you)"


def _names(raw, tbl: str, column: str, uids: set[str]) -> dict[str, str]:
    """uid -> a column of the local row (a theme's name, a document's title)."""
    ids = {uid: lid for uid, lid in local.local_ids(raw, tbl).items() if uid in uids}
    out = {}
    for uid, lid in ids.items():
        row = raw.execute(f"SELECT {column} FROM {tbl} WHERE id = ?", (lid,)).fetchone()
        if row is not None:
            out[uid] = row[0]
    return out


def _pages(rec: dict) -> str:
    a, b = (rec.get("start_page") or 0) + 1, (rec.get("end_page") or 0) + 1
    return f"p. {a}" if a == b else f"pp. {a}–{b}"


def _side(raw, view: dict, rec: dict | None, full: dict | None) -> str:
    spec = SPECS[view["table"]]
    if full is None and view.get("kind") == HIDDEN:
        return HIDDEN_TEXT
    if rec is None or full is None or (spec.soft_delete and full.get("deleted_at")):
        return DELETED
    lines = []
    for group in view["fields"]:
        if group == "deleted":
            note = full.get("note") or full.get("name") or ""
            lines.append("Kept and edited" + (f": {note}" if note else ""))
        elif group == "note":
            lines.append(rec.get("note") or "(no note)")
        elif group == "themes":
            uids = rec.get("themes") or []
            names = _names(raw, "theme", "name", set(uids))
            lines.append(
                "Themes: "
                + (", ".join(sorted(names.get(u, "a theme not on this laptop") for u in uids)) or "none")
            )
        elif group == "range":
            lines.append(f"Text ({_pages(rec)}): “{rec.get('quote') or ''}”")
        elif group == "parent_id":
            parent = rec.get("parent_id")
            lines.append(
                "Under: "
                + (_names(raw, "theme", "name", {parent}).get(parent, "?") if parent else "top level")
            )
        else:
            lines.append(f"{group.replace('_', ' ').capitalize()}: {rec.get(group)}")
    return "\n".join(lines)


def _what(raw, view: dict, full: dict) -> str:
    tbl = view["table"]
    if tbl == "passage":
        doc = _names(raw, "document", "title", {full.get("document_id")}).get(full.get("document_id"))
        quote = " ".join((full.get("quote") or "").split())
        quote = quote if len(quote) <= 60 else quote[:59] + "…"
        where = f" in {doc}, {_pages(full)}" if doc else ""
        return f"Passage “{quote}”{where}"
    if tbl == "theme":
        return f"Theme “{full.get('name') or ''}”"
    if tbl == "setting":
        return f"Setting {full.get('key') or ''}"
    return f"{tbl.replace('_', ' ').capitalize()} {view['what']}".strip()


def describe(ws, views: list[dict]) -> list[dict]:
    """Each conflict view (from conflicts.listing) with `title`, `mine_text`, `theirs_text` added."""
    raw_conn = ws.engine.raw_connection()
    try:
        raw = raw_conn.driver_connection
        out = []
        for v in views:
            full_mine, full_theirs = _full(raw, v, "mine"), _full(raw, v, "theirs")
            out.append(
                {
                    **v,
                    "title": _what(raw, v, full_mine or full_theirs or {}),
                    "mine_text": _side(raw, v, v["mine"], full_mine),
                    "theirs_text": _side(raw, v, v["theirs"], full_theirs),
                }
            )
        return out
    finally:
        raw_conn.close()


def _full(raw, view: dict, side: str) -> dict | None:
    """The whole record of one side (the listing keeps only the conflicting fields)."""
    row = raw.execute(f"SELECT {side} FROM sync_conflict WHERE id = ?", (view["id"],)).fetchone()
    return local.loads(row[0]) if row else None
