import itertools

import pytest

from annotator.core.team import replica
from annotator.core.team.server.pgserver import LocalServer

_names = itertools.count()


@pytest.fixture(scope="session")
def pg():
    """One throw-away PostgreSQL server for the whole session (Unix socket in a temp folder)."""
    srv = LocalServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def db(pg):
    """A fresh database on it: its admin URL (with the password)."""
    return pg.create_database(f"ws{next(_names)}")


@pytest.fixture
def team(demo_ws, db, pg, tmp_path):
    """The demo workspace published (replica A, the owner's) and a second replica B."""
    replica.publish(demo_ws, db)
    b = replica.join(db, str(tmp_path / "b.annot"))
    yield demo_ws, b
    b.close()
