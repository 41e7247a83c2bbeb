"""The user's own settings, in the config folder (not in any workspace).

One JSON file, `<config dir>/settings.json` (ANNOTATOR_CONFIG_DIR overrides the
folder), read whole and written whole: it holds a handful of values. Written to
a temporary file then renamed, so a crash never leaves half a file. Which
settings live here is declared in core/store/settings.py (scope "user").
"""

import json
import os
from typing import Any

FILE_NAME = "settings.json"


def folder() -> str:
    from platformdirs import user_config_dir

    return os.environ.get("ANNOTATOR_CONFIG_DIR") or user_config_dir("annotator", appauthor=False)


def path() -> str:
    return os.path.join(folder(), FILE_NAME)


def load() -> dict[str, Any]:
    """Every value stored; {} when there is no file or it cannot be read (defaults then apply)."""
    try:
        with open(path(), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(values: dict[str, Any]) -> None:
    """Store these values beside the ones already there."""
    data = load() | values
    os.makedirs(folder(), mode=0o700, exist_ok=True)
    target = path()
    partial = target + ".part"
    with open(partial, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
    os.replace(partial, target)
