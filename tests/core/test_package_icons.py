"""The icon files the package build writes are well formed."""

import importlib.util
import struct
from pathlib import Path

import pymupdf

SPEC = importlib.util.spec_from_file_location(
    "prepare", Path(__file__).resolve().parents[2] / "packaging" / "prepare.py"
)
prepare = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(prepare)


def test_icons_render_at_every_size_and_pack_into_ico_and_icns():
    pngs = prepare.icons()
    for size, data in pngs.items():
        pix = pymupdf.Pixmap(data)
        assert (pix.width, pix.height) == (size, size)
    ico = prepare.ico(pngs)
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(prepare.ICO_SIZES))
    for i in range(count):
        w, _h, _c, _r, _p, _b, size, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i])
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert pymupdf.Pixmap(ico[offset : offset + size]).width == (w or 256)
    icns = prepare.icns(pngs)
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_windows_version_resource_names_the_version():
    text = prepare.version_resource("1.2.3")
    assert "filevers=(1, 2, 3, 0)" in text and "StringStruct('ProductVersion', '1.2.3')" in text
