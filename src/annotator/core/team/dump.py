"""A replica's synced content in a canonical form (by uid), to compare replicas and the server."""

from annotator.core.team import local
from annotator.core.team.tables import ORDER, SHARED_SETTINGS


def canonical(ws) -> dict:
    raw_conn = ws.engine.raw_connection()
    try:
        raw = raw_conn.driver_connection
        out = {}
        for tbl in ORDER:
            if tbl == "setting":
                keys = list(SHARED_SETTINGS)
            else:
                keys = [r[0] for r in raw.execute(f"SELECT local_id FROM sync_map WHERE tbl = '{tbl}'")]
            out[tbl] = local.read_records(raw, tbl, keys)
        out["content"] = {
            uid: raw.execute(
                "SELECT (SELECT count(*) FROM page WHERE document_id = ?), (SELECT count(*) FROM line WHERE "
                "document_id = ?), (SELECT sum(length(text)) FROM line WHERE document_id = ?)",
                (lid, lid, lid),
            ).fetchone()
            for uid, lid in raw.execute(
                "SELECT uid, local_id FROM sync_map WHERE tbl = 'document'"
            ).fetchall()
        }
        raw.rollback()
        return out
    finally:
        raw_conn.close()
