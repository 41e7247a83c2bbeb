"""Find files in resources/ whether installed or run from a checkout."""

import json
from importlib import resources as _res
from pathlib import Path
from typing import Any


def path(name: str) -> Path:
    return Path(str(_res.files("annotator.resources").joinpath(name)))


def load_json(name: str) -> Any:
    return json.loads(path(name).read_text(encoding="utf-8"))
