"""The real app on an X server (xvfb-run, xcb): select with the mouse, tag with a key press."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

HERE = Path(__file__).parent


def test_select_and_tag_in_the_real_window(tmp_path):
    data = tmp_path / "data"
    out = tmp_path / "out"
    out.mkdir()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="xcb",
        ANNOTATOR_DATA_DIR=str(data),
        ANNOTATOR_LOG_DIR=str(tmp_path / "logs"),
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
    )
    proc = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            sys.executable,
            str(HERE / "drive_window.py"),
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (out / "drive.log").read_text() if (out / "drive.log").exists() else ""
    assert proc.returncode == 0, proc.stderr[-2000:] + log
    keep = os.environ.get("ANNOTATOR_SHOTS")
    if keep:
        for png in out.glob("*.png"):
            shutil.copy(png, keep)
    assert (out / "tagged-transcript.png").stat().st_size > 10_000
    assert (out / "tagged-pdf.png").stat().st_size > 10_000

    from annotator.core.models import Passage, PassageTheme, Theme
    from annotator.core.workspace import Workspace

    with Workspace.open(str(data / "demo.annot"), readonly=True) as ws, ws.session() as s:
        p = s.exec(
            select(Passage).where(
                Passage.quote == "Some witnesses have pointed", Passage.deleted_at.is_(None)
            )
        ).one()
        names = [
            t.name
            for t in s.exec(
                select(Theme)
                .join(PassageTheme, PassageTheme.theme_id == Theme.id)
                .where(PassageTheme.passage_id == p.id)
            )
        ]
        assert names == ["Safety"], log
        assert (p.tpage_from, p.line_from) == (1, 13)
