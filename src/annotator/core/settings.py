"""Workspace settings: declared once, typed, with defaults."""

from dataclasses import dataclass

DEFAULTS: dict[str, object] = {
    "title": "Untitled workspace",
    "inquiry": "",
    "urn_pattern": r"[A-Z]{3}\d{7}",
    "citation_style": "short",  # short: Day 45/12:3 ; long: Day 45, page 12, line 3
    "author": "",
    "backup_every_minutes": 10,
    "backup_keep": 10,
    "last_export": {},
    "last_import_folder": "",  # where the import dialogs open next time
}


@dataclass(frozen=True)
class SettingInfo:
    key: str
    default: object

    def coerce(self, value: object) -> object:
        kind = type(self.default)
        if kind is int:
            return int(str(value))
        if kind is str:
            return str(value)
        return value


def info(key: str) -> SettingInfo:
    if key not in DEFAULTS:
        raise KeyError(key)
    return SettingInfo(key, DEFAULTS[key])
