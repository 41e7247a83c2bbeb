"""Times as people write them: "just now", "today at 14:32", "yesterday at 09:10", "3 Dec at 16:05"."""

from datetime import datetime, timedelta


def local(moment: datetime) -> datetime:
    """The moment in this computer's time zone, without tzinfo (naive times are taken as local)."""
    if moment.tzinfo is not None:
        return moment.astimezone().replace(tzinfo=None)
    return moment


def when_text(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "never"
    moment = local(moment)
    now = local(now) if now is not None else datetime.now()
    ago = now - moment
    if timedelta(0) <= ago < timedelta(minutes=1):
        return "just now"
    if timedelta(0) <= ago < timedelta(hours=1):
        minutes = int(ago.total_seconds() // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    clock = f"{moment:%H:%M}"
    if moment.date() == now.date():
        return f"today at {clock}"
    if moment.date() == now.date() - timedelta(days=1):
        return f"yesterday at {clock}"
    if moment.year == now.year:
        return f"{moment.day} {moment:%b} at {clock}"
    return f"{moment.day} {moment:%b %Y} at {clock}"
