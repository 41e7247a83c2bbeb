"""Schema creation and versioned upgrades (PRAGMA user_version)."""

from collections.abc import Callable

from sqlalchemy import Connection
from sqlmodel import SQLModel

from annotator.core.store import index, models  # noqa: F401  (models registers the tables)

SCHEMA_VERSION = 7

_AUDIT_GUARDS = [
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]


def user_version(conn: Connection) -> int:
    return conn.exec_driver_sql("PRAGMA user_version").scalar() or 0


def _columns(conn: Connection, table: str) -> set[str]:
    return {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}


def create(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn)
    for stmt in _AUDIT_GUARDS:
        conn.exec_driver_sql(stmt)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_ocr_word_page ON ocr_word (document_id, page_index)")
    index.rebuild(conn)
    conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _v1_to_v2(conn: Connection) -> None:
    """v2 added passage flags (important, redact), saved searches and audit guards."""
    cols = _columns(conn, "passage")
    if "important" not in cols:
        conn.exec_driver_sql("ALTER TABLE passage ADD COLUMN important BOOLEAN NOT NULL DEFAULT 0")
    if "redact" not in cols:
        conn.exec_driver_sql("ALTER TABLE passage ADD COLUMN redact BOOLEAN NOT NULL DEFAULT 0")
    SQLModel.metadata.create_all(conn)  # creates only the missing tables
    for stmt in _AUDIT_GUARDS:
        conn.exec_driver_sql(stmt)


def _v2_to_v3(conn: Connection) -> None:
    """v3 keeps a document's earlier versions and each passage's anchor status."""
    cols = _columns(conn, "passage")
    if "anchor" not in cols:
        conn.exec_driver_sql("ALTER TABLE passage ADD COLUMN anchor VARCHAR NOT NULL DEFAULT ''")
    if "old_quote" not in cols:
        conn.exec_driver_sql("ALTER TABLE passage ADD COLUMN old_quote VARCHAR NOT NULL DEFAULT ''")
    SQLModel.metadata.create_all(conn)  # the document_version table


def _v3_to_v4(conn: Connection) -> None:
    """v4 added the edition table: each PDF bundle's page plan, for re-issues."""
    models.Edition.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]  # SQLModel adds it


def _add_paragraphs(conn: Connection) -> None:
    """v5: paragraph numbers of lines (statements, web transcripts) and of
    passages; a statement's exhibit references."""
    if "para" not in _columns(conn, "line"):
        conn.exec_driver_sql("ALTER TABLE line ADD COLUMN para INTEGER")
    cols = _columns(conn, "passage")
    for col in ("para_from", "para_to"):
        if col not in cols:
            conn.exec_driver_sql(f"ALTER TABLE passage ADD COLUMN {col} INTEGER")
    if "exhibits" not in _columns(conn, "document"):
        conn.exec_driver_sql("ALTER TABLE document ADD COLUMN exhibits VARCHAR NOT NULL DEFAULT '[]'")


def _add_areas(conn: Connection) -> None:
    """v6: areas, passages that are a rectangle drawn on a page (nullable columns)."""
    cols = _columns(conn, "passage")
    if "area_page" not in cols:
        conn.exec_driver_sql("ALTER TABLE passage ADD COLUMN area_page INTEGER")
    for col in ("area_x0", "area_y0", "area_x1", "area_y1"):
        if col not in cols:
            conn.exec_driver_sql(f"ALTER TABLE passage ADD COLUMN {col} FLOAT")


def _add_ocr(conn: Connection) -> None:
    """v7: pages of scans that need text recognition, and the words recognised."""
    models.OcrPage.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]  # SQLModel adds it
    models.OcrWord.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_ocr_word_page ON ocr_word (document_id, page_index)")


# MIGRATIONS[n] upgrades a version-n workspace to version n + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _add_paragraphs,
    5: _add_areas,
    6: _add_ocr,
}


def upgrade(conn: Connection, found: int) -> None:
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](conn)
        conn.exec_driver_sql(f"PRAGMA user_version = {version + 1}")
    index.rebuild(conn)
