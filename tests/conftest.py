import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch):
    """Keep logs, demo files and Qt settings of tests out of the user's folders."""
    monkeypatch.setenv("ANNOTATOR_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def ws(tmp_path):
    from annotator.core.store.workspace import Workspace

    w = Workspace.create(str(tmp_path / "test.annot"), title="Test")
    yield w
    w.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    from annotator.core import demo

    path = tmp_path_factory.mktemp("demo") / "demo.annot"
    demo.build(str(path)).close()
    return path


@pytest.fixture
def demo_ws(demo_file, tmp_path):
    """A private copy of the demo workspace, open for writing."""
    import shutil

    from annotator.core.store.workspace import Workspace

    path = tmp_path / "demo.annot"
    shutil.copyfile(demo_file, path)
    w = Workspace.open(str(path))
    yield w
    w.close()
