"""Everything the PyInstaller spec needs besides the code, and the Linux extras.

`python packaging/prepare.py before` (run by `make package` ahead of
PyInstaller): refuses a dependency with no known licence, writes the
licence list and texts, the icons (PNG sizes from the SVG, .ico, .icns) and
the Windows version resource into build/package-extra/.

`python packaging/prepare.py after`: puts the desktop entry, icons,
AppStream metadata and notices beside the frozen program, makes the
tarball and prints the folder's size.
"""

import importlib.metadata as md
import re
import shutil
import struct
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRA = ROOT / "build" / "package-extra"
DIST = ROOT / "dist" / "annotator"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
NOTICES = ("NOTICE-Qt.txt", "SOURCE-OFFER.txt")


def version() -> str:
    text = (ROOT / "src" / "annotator" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def icons() -> dict[int, bytes]:
    import pymupdf

    svg = pymupdf.open(str(ROOT / "resources" / "icons" / "annotator.svg"))
    page = svg[0]
    out = {}
    for size in PNG_SIZES:
        zoom = size / page.rect.width
        out[size] = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=True).tobytes("png")
    return out


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding PNG images (valid since Windows Vista)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    head = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(head) + 16 * len(sizes)
    entries, blobs = b"", b""
    for s in sizes:
        data = pngs[s]
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return head + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon family holding PNG images."""
    body = b"".join(
        kind + struct.pack(">I", len(pngs[s]) + 8) + pngs[s] for s, kind in ICNS_TYPES.items() if s in pngs
    )
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def version_resource(v: str) -> str:
    nums = (tuple(int(x) for x in re.findall(r"\d+", v)) + (0, 0, 0, 0))[:4]
    fields = {
        "CompanyName": "Annotator",
        "FileDescription": "Annotator: evidence annotation for public inquiries",
        "FileVersion": v,
        "InternalName": "annotator",
        "LegalCopyright": "AGPL-3.0-or-later",
        "OriginalFilename": "annotator.exe",
        "ProductName": "Annotator",
        "ProductVersion": v,
    }
    strings = ",\n".join(f"          StringStruct('{k}', '{val}')" for k, val in fields.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
{strings}
    ])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def licence_texts(folder: Path) -> int:
    """Copy each bundled distribution's own licence files, named after it."""
    sys.path.insert(0, str(ROOT / "src"))
    from annotator.core.util import licences

    count = 0
    for comp in licences.installed():
        if comp.name == "annotator":
            continue  # our own LICENSE is copied below
        try:
            dist = md.distribution(comp.name)
        except md.PackageNotFoundError:
            continue
        for f in dist.files or []:
            name = f.name.upper()
            source = Path(dist.locate_file(f))
            if (
                any(name.startswith(w) for w in ("LICENSE", "LICENCE", "COPYING", "NOTICE"))
                and source.is_file()
            ):
                (folder / f"{comp.name}-{f.name}").write_bytes(source.read_bytes())
                count += 1
    shutil.copy(ROOT / "LICENSE", folder / "Annotator-LICENSE.txt")
    for notice in NOTICES:
        shutil.copy(ROOT / "packaging" / notice, folder / notice)
    return count


def before() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from annotator.core.util import licences

    items = licences.components()
    bad = licences.unknown(items)
    if bad:
        names = ", ".join(f"{c.name} {c.version}" for c in bad)
        print(f"Refusing to package: no known licence for {names}.", file=sys.stderr)
        return 1
    if EXTRA.exists():
        shutil.rmtree(EXTRA)
    (EXTRA / "licences").mkdir(parents=True)
    licences.write_frozen_list(EXTRA)
    texts = licence_texts(EXTRA / "licences")
    pngs = icons()
    for size, data in pngs.items():
        (EXTRA / f"annotator-{size}.png").write_bytes(data)
    (EXTRA / "annotator.ico").write_bytes(ico(pngs))
    (EXTRA / "annotator.icns").write_bytes(icns(pngs))
    (EXTRA / "version.txt").write_text(version_resource(version()), encoding="utf-8")
    print(f"{len(items)} components, every licence known; {texts} licence files; icons in {len(pngs)} sizes")
    return 0


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def after() -> int:
    share = DIST / "share"
    apps = share / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "packaging" / "annotator.desktop", apps / "org.annotator.Annotator.desktop")
    meta = share / "metainfo"
    meta.mkdir(exist_ok=True)
    text = (ROOT / "packaging" / "org.annotator.Annotator.metainfo.xml").read_text(encoding="utf-8")
    (meta / "org.annotator.Annotator.metainfo.xml").write_text(text.replace("@VERSION@", version()))
    hicolor = share / "icons" / "hicolor"
    for size in PNG_SIZES:
        d = hicolor / f"{size}x{size}" / "apps"
        d.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXTRA / f"annotator-{size}.png", d / "org.annotator.Annotator.png")
    d = hicolor / "scalable" / "apps"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "resources" / "icons" / "annotator.svg", d / "org.annotator.Annotator.svg")
    for notice in NOTICES:
        shutil.copy(ROOT / "packaging" / notice, DIST / notice)
    shutil.copy(ROOT / "LICENSE", DIST / "LICENSE")
    tarball = ROOT / "dist" / f"annotator-{version()}-linux-{_machine()}.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(DIST, arcname=f"annotator-{version()}")
    size = folder_size(DIST)
    print(
        f"Folder: dist/annotator, {size / 1e6:.0f} MB; tarball: {tarball.name}, {tarball.stat().st_size / 1e6:.0f} MB"
    )
    return 0


def _machine() -> str:
    import platform

    return platform.machine() or "unknown"


if __name__ == "__main__":
    step = sys.argv[1] if len(sys.argv) > 1 else ""
    if step not in ("before", "after"):
        print("usage: prepare.py before|after", file=sys.stderr)
        sys.exit(2)
    sys.exit(before() if step == "before" else after())
