import itertools

import pytest

from annotator.core.team.pgserver import LocalServer

_names = itertools.count()


@pytest.fixture(scope="session")
def pg():
    """One throw-away PostgreSQL server for the whole session (Unix socket in a temp folder)."""
    srv = LocalServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def db(pg):
    """A fresh database on it: its admin URL."""
    return pg.create_database(f"ws{next(_names)}")
