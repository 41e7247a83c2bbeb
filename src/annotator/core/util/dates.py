"""Dates and times as people write them: 3 Dec 2026, 15:49 (not 2026-12-03T15:49:07+00:00)."""

from datetime import date, datetime


def _parse(value: str | datetime | date | None) -> datetime | date | None:
    if value is None or isinstance(value, datetime | date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
    except ValueError:
        return None


def readable(value: str | datetime | date | None, seconds: bool = False) -> str:
    """'3 Dec 2026, 15:49' in this computer's time zone; a date alone as '3 Dec 2026'.

    Text that is not a date comes back as it was, so nothing a user typed is hidden.
    """
    moment = _parse(value)
    if moment is None:
        return "" if value is None else str(value)
    if not isinstance(moment, datetime):
        return f"{moment.day} {moment:%b %Y}"
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # stored in UTC, shown in local time
    clock = f"{moment:%H:%M:%S}" if seconds else f"{moment:%H:%M}"
    return f"{moment.day} {moment:%b %Y}, {clock}"
