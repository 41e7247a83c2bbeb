"""The core must never import Qt or the GUI (import-linter also checks this)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "annotator" / "core"
FORBIDDEN = ("PySide6", "shiboken6", "annotator.gui")


def test_core_never_imports_qt_or_gui():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert not offenders, offenders
