"""The real app on an X server (xvfb-run, xcb): select with the mouse, tag with a key press."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

HERE = Path(__file__).parent
SAFETY = (0xC6, 0x28, 0x28)  # the demo's Safety theme, which key 3 tags with


def _tinted(pixel) -> bool:
    """A light pixel pulled towards Safety's red: the highlight over white paper."""
    r, g, b = pixel[:3]
    return min(r, g, b) > 150 and r - g > 25 and r - b > 25


def _tinted_share(png: Path, region: list[int]) -> tuple[float, float]:
    """Share of tinted pixels inside the region (shrunk by 2 px) and over the whole screenshot."""
    import pymupdf

    pix = pymupdf.Pixmap(str(png))
    x0, y0, x1, y1 = region[0] + 2, region[1] + 2, region[2] - 2, region[3] - 2
    assert 0 <= x0 < x1 <= pix.width and 0 <= y0 < y1 <= pix.height, (png.name, region)
    inside = [_tinted(pix.pixel(x, y)) for x in range(x0, x1, 2) for y in range(y0, y1, 2)]
    whole = [_tinted(pix.pixel(x, y)) for x in range(0, pix.width, 7) for y in range(0, pix.height, 7)]
    return sum(inside) / len(inside), sum(whole) / len(whole)


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
    regions = json.loads((out / "regions.json").read_text())
    for shot in ("tagged-transcript.png", "tagged-pdf.png"):
        inside, everywhere = _tinted_share(out / shot, regions[shot])
        # the tagged words wear Safety's tint; the rest of the screen mostly does not
        assert inside > 0.4 and everywhere < 0.1, (shot, inside, everywhere, log)

    from annotator.core.store.models import Passage, PassageTheme, Theme
    from annotator.core.store.workspace import Workspace

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
