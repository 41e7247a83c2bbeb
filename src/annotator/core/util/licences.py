"""The components Annotator ships with, and their licences.

Help > About lists them and `make package` refuses to build when one has a
licence we cannot name. Read from the installed distributions' metadata
(the SPDX `License-Expression`, else the trove classifiers, else the free
`License` field), walking the requirements from `annotator` down.

A frozen application has no metadata to walk: the build writes the list to
`licences.json` beside the resources, and `components()` reads that first.
"""

import importlib.metadata as md
import json
import re
import sqlite3
from typing import Any
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

FROZEN_LIST = "licences.json"

# Trove classifiers and free-text licence fields, to SPDX identifiers.
_CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: BSD License": "BSD-3-Clause",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: GNU Affero General Public License v3": "AGPL-3.0",
    "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
}
_FREE_TEXT = [
    (re.compile(r"\bMIT\b"), "MIT"),
    (re.compile(r"\bBSD\b"), "BSD-3-Clause"),
    (re.compile(r"Apache", re.I), "Apache-2.0"),
    (re.compile(r"\bLGPL", re.I), "LGPL-3.0"),
    (re.compile(r"Affero|\bAGPL", re.I), "AGPL-3.0"),
    (re.compile(r"\bMPL", re.I), "MPL-2.0"),
    (re.compile(r"Python Software Foundation|\bPSF", re.I), "PSF-2.0"),
]
UNKNOWN = "unknown"

# Parts that are not Python distributions but ship inside the application.
_NATIVE = [
    ("Qt", "LGPL-3.0-only", "the Qt libraries inside PySide6; see NOTICE-Qt.txt"),
    ("MuPDF", "AGPL-3.0-or-later", "the PDF engine inside PyMuPDF"),
    ("SQLite", "blessing", "public domain, the engine inside Python's sqlite3"),
    ("Python", "PSF-2.0", "the interpreter and its standard library"),
]


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    note: str = ""


def _licence(dist: md.Distribution) -> str:
    meta: Any = dist.metadata  # an email.message.Message underneath: .get, .get_all
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    for classifier in meta.get_all("Classifier") or []:
        if classifier in _CLASSIFIERS:
            return _CLASSIFIERS[classifier]
    text = (meta.get("License") or "").strip()
    if len(text) >= 400:  # the whole licence pasted in: its first line names it ("MIT License")
        text = text.splitlines()[0].strip()
    for pattern, spdx in _FREE_TEXT:
        if text and len(text) < 400 and pattern.search(text):
            return spdx
    return UNKNOWN


def _requirement_names(dist: md.Distribution) -> list[str]:
    """Names of the distributions `dist` needs when no extra is asked for."""
    names = []
    for req in dist.requires or []:
        if "extra ==" in req.replace("'", '"').replace('"', ""):
            continue
        if ";" in req and not _marker_holds(req.split(";", 1)[1]):
            continue
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
        if match:
            names.append(match.group(1))
    return names


def _marker_holds(marker: str) -> bool:
    """The few environment markers our dependencies use, read plainly."""
    marker = marker.strip()
    checks = {
        "sys_platform": sys.platform,
        "platform_system": {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}.get(sys.platform, ""),
        "os_name": "nt" if sys.platform == "win32" else "posix",
        "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
    }
    for clause in re.split(r"\band\b", marker):
        m = re.match(r"\s*(\w+)\s*(==|!=|<|>=|<=|>)\s*['\"]([^'\"]*)['\"]\s*$", clause)
        if not m or m.group(1) not in checks:
            continue  # a marker we do not read: keep the dependency, better listed twice than missed
        have, op, want = checks[m.group(1)], m.group(2), m.group(3)
        if m.group(1) == "python_version":
            have_t, want_t = tuple(map(int, have.split("."))), tuple(map(int, want.split(".")))
            ok = {
                "==": have_t == want_t,
                "!=": have_t != want_t,
                "<": have_t < want_t,
                ">=": have_t >= want_t,
                "<=": have_t <= want_t,
                ">": have_t > want_t,
            }[op]
        else:
            ok = (have == want) if op == "==" else (have != want) if op == "!=" else True
        if not ok:
            return False
    return True


def installed(root: str = "annotator") -> list[Component]:
    """Every distribution `root` needs, with its licence, from installed metadata."""
    seen: dict[str, Component] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # an optional part not installed here
        seen[key] = Component(dist.metadata["Name"], dist.version, _licence(dist))
        todo.extend(_requirement_names(dist))
    return sorted(seen.values(), key=lambda c: c.name.lower())


def native() -> list[Component]:
    versions = {"SQLite": sqlite3.sqlite_version, "Python": sys.version.split()[0]}
    try:
        import pymupdf

        versions["MuPDF"] = pymupdf.VersionFitz
    except ImportError:
        pass
    return [Component(name, versions.get(name, ""), lic, note) for name, lic, note in _NATIVE]


def components(resources_dir: Path | None = None) -> list[Component]:
    """What About lists: the frozen build's list when there is one, else the installed metadata."""
    if resources_dir is not None and (resources_dir / FROZEN_LIST).exists():
        rows = json.loads((resources_dir / FROZEN_LIST).read_text(encoding="utf-8"))
        return [Component(**row) for row in rows]
    return installed() + native()


def write_frozen_list(folder: Path) -> Path:
    path = folder / FROZEN_LIST
    path.write_text(json.dumps([asdict(c) for c in components()], indent=1), encoding="utf-8")
    return path


def unknown(items: list[Component]) -> list[Component]:
    return [c for c in items if c.licence == UNKNOWN]


def main(argv: list[str]) -> int:
    """`python -m annotator.core.util.licences [--check] [--write FOLDER]`."""
    items = components()
    for c in items:
        print(f"{c.name:28} {c.version:12} {c.licence}")
    if "--write" in argv:
        print("wrote", write_frozen_list(Path(argv[argv.index("--write") + 1])))
    bad = unknown(items)
    if "--check" in argv and bad:
        names = ", ".join(f"{c.name} {c.version}" for c in bad)
        print(f"Refusing to package: no known licence for {names}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
