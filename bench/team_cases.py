"""Team benchmarks: a throw-away PostgreSQL server in the child process (its start-up
and the publishing are not timed; both sides run against the same server).

sync: 10,000 offline changes on each of two laptops, synced until both are in
step (A pushes, B pushes and pulls, A pulls), beside psycopg inserting the
same rows in one transaction.
join: `team join` of the generated workspace, pages/s, beside COPY of the same
rows (pages, lines, passages, themes, links, audit) out of the server.
"""

import os
import shutil
import time


def _server(tmp: str):
    from annotator.core.team.server.pgserver import LocalServer

    return LocalServer().start()


def _open_copy(src: str, dest: str):
    from annotator.core.store.workspace import Workspace

    shutil.copyfile(src, dest)
    return Workspace.open(dest)


def _offline(ws, n: int, who: str) -> None:
    """n changes made on a laptop with no network: new passages, each with a theme, a note
    and its audit entry (as tagging them one by one would write)."""
    with ws.write("bench offline tagging", {"count": n}) as s:
        raw = s.connection().connection.driver_connection
        doc, pages = raw.execute("SELECT id, page_count FROM document ORDER BY id LIMIT 1").fetchone()
        theme = raw.execute("SELECT min(id) FROM theme").fetchone()[0]
        for i in range(n):
            pid = raw.execute(
                "INSERT INTO passage(document_id, start_page, start_char, end_page, end_char, rects, quote, prefix, "
                "suffix, note, author, important, redact, created_at, modified_at) "
                "VALUES (?, ?, 0, ?, 40, '[]', ?, '', '', ?, ?, 0, 0, '2026-01-01', '2026-01-01')",
                (doc, i % pages, i % pages, f"quoted words {who} {i}", f"bench note {who} {i}", who),
            ).lastrowid
            raw.execute("INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", (pid, theme))
            raw.execute(
                "INSERT INTO audit(at, who, action, details) VALUES ('2026-01-01', ?, 'tag', ?)",
                (who, f'{{"passage": {pid}, "themes": [{theme}]}}'),
            )


def sync_both(ws_path: str, tmp: str, changes: int = 10_000) -> dict:
    import psycopg

    from annotator.core.store.models import now
    from annotator.core.team import replica
    from annotator.core.team.sync import sync

    srv = _server(tmp)
    folder = os.path.join(tmp, "team-sync")
    os.makedirs(folder, exist_ok=True)
    try:
        url = srv.create_database("bench_sync")
        a = _open_copy(ws_path, os.path.join(folder, "a.annot"))
        replica.publish(a, url)
        b = replica.join(url, os.path.join(folder, "b.annot"))
        mark = now()
        _offline(a, changes, "A")
        _offline(b, changes, "B")
        t = time.perf_counter()
        ra, rb, ra2 = sync(a, srv.password), sync(b, srv.password), sync(a, srv.password)
        ours = time.perf_counter() - t
        with a.engine.connect() as ca, b.engine.connect() as cb:
            q = "SELECT count(*) FROM passage WHERE note LIKE 'bench note %'"
            in_step = ca.exec_driver_sql(q).scalar() == cb.exec_driver_sql(q).scalar() == 2 * changes
        a.close()
        b.close()
        with psycopg.connect(url) as conn:
            # the same rows into tables shaped like the server's (columns, defaults, indexes)
            tables = {}
            for name in ("passage", "audit"):
                conn.execute(f"CREATE TABLE raw_{name} (LIKE {name} INCLUDING ALL)")
                tables[name] = conn.execute(
                    f"SELECT * FROM {name} WHERE changed_at >= %s", (mark,)
                ).fetchall()
            conn.commit()
            t = time.perf_counter()
            with conn.transaction(), conn.cursor() as cur:
                for name, rows in tables.items():
                    marks = ", ".join(["%s"] * len(rows[0]))
                    cur.executemany(f"INSERT INTO raw_{name} VALUES ({marks})", rows)
            raw = time.perf_counter() - t
        return {
            "ours": {
                "value": ours,
                "pushed": ra.pushed + rb.pushed,
                "pulled": rb.pulled + ra2.pulled,
                "in_step": in_step,
                "phases": {
                    k: round(sum(r.seconds.get(k, 0.0) for r in (ra, rb, ra2)), 2)
                    for k in ("prepare", "push", "write-back", "pull")
                },
            },
            "raw": {"value": raw, "rows": sum(len(r) for r in tables.values())},
        }
    finally:
        srv.stop()
        shutil.rmtree(folder, ignore_errors=True)


def join_both(ws_path: str, tmp: str) -> dict:
    import psycopg

    from annotator.core.team import replica

    srv = _server(tmp)
    folder = os.path.join(tmp, "team-join")
    os.makedirs(folder, exist_ok=True)
    try:
        url = srv.create_database("bench_join")
        a = _open_copy(ws_path, os.path.join(folder, "a.annot"))
        t = time.perf_counter()
        replica.publish(a, url)
        publish = time.perf_counter() - t
        a.close()
        t = time.perf_counter()
        b = replica.join(url, os.path.join(folder, "b.annot"))
        ours = time.perf_counter() - t
        with b.engine.connect() as conn:
            pages = conn.exec_driver_sql("SELECT count(*) FROM page").scalar()
            passages = conn.exec_driver_sql("SELECT count(*) FROM passage").scalar()
        b.close()
        t = time.perf_counter()
        size = 0
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            for table in ("page", "line", "passage", "theme", "link", "audit", "document", "blob"):
                with cur.copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as copy:
                    for block in copy:
                        size += len(block)
        raw = time.perf_counter() - t
        return {
            "ours": {
                "value": pages / ours,
                "seconds": ours,
                "pages": pages,
                "passages": passages,
                "publish_s": publish,
            },
            "raw": {"value": pages / raw, "seconds": raw, "bytes": size},
        }
    finally:
        srv.stop()
        shutil.rmtree(folder, ignore_errors=True)
