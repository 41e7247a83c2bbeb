"""What an operation changed, and how to undo it.

Every user action is one core function returning a Change. `inverse` is a
callable that, applied to the workspace, undoes the action and returns the
Change that redoes it, so undo and redo are the same mechanism.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Change:
    summary: str
    passages: set[int] = field(default_factory=set)
    themes: bool = False
    documents: bool = False
    links: bool = False
    inverse: Callable[[Any], "Change"] | None = None
    result: Any = None  # e.g. the new passage id
