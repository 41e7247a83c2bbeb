"""A sync killed with SIGKILL at random moments, then run again: nothing lost, nothing doubled."""

import os
import random
import signal
import time

import psycopg

from annotator.core.team import replica
from annotator.core.team.dump import canonical
from annotator.core.store.workspace import Workspace
import sync_child
from util import same, sync_all, tag

KILLS = int(os.environ.get("ANNOTATOR_SYNC_KILLS", "22"))


def test_sync_killed_at_random_then_rerun(team, db, tmp_path):
    a, b = team
    path = a.path
    a.close()  # the child processes write it
    rng = random.Random(15)
    kills = made = rounds = 0
    while kills < KILLS and rounds < 3 * KILLS:
        rounds += 1
        pid, ready = sync_child.run(path, made, 8)
        assert os.read(ready, 1) == b"r"
        os.close(ready)
        made += 8
        time.sleep(rng.uniform(0, 0.15))
        finished, status = os.waitpid(pid, os.WNOHANG)
        if not finished:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            kills += 1
        else:  # it beat the kill: then it must have synced without error
            assert os.waitstatus_to_exitcode(status) == 0
        if rounds % 4 == 0:  # the server moves on meanwhile
            tag(b, rounds * 11, f"from b {rounds}")
            sync_all(b)
    assert kills >= KILLS
    a = Workspace.open(path)
    try:
        sync_all(a, b)
        dump = same(a, b)
        notes = [p["note"] for p in dump["passage"].values()]
        created = [n for n in notes if n.startswith("kill ") and not n.startswith("kill edited")]
        with a.engine.connect() as conn:
            local = conn.exec_driver_sql("SELECT count(*) FROM passage WHERE note LIKE 'kill %'").scalar()
        # nothing lost: every passage the children committed is on both replicas and the server
        assert len([n for n in notes if n.startswith("kill ")]) == local
        assert len(created) == len(set(created))  # nothing doubled
        with psycopg.connect(db) as conn:
            server = conn.execute("SELECT note FROM passage WHERE note LIKE 'kill %%'").fetchall()
            assert sorted(r[0] for r in server) == sorted(n for n in notes if n.startswith("kill "))
            assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == len(dump["audit"])
        c = replica.join(db, str(tmp_path / "c.annot"))
        try:
            assert canonical(c) == dump
        finally:
            c.close()
    finally:
        a.close()
