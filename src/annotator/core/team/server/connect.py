"""Connecting to the team server, with one clear sentence for each way it fails."""

import os
from urllib.parse import urlsplit, urlunsplit

from annotator.core.util.errors import AnnotatorError


class TeamError(AnnotatorError):
    pass


class Unreachable(TeamError):
    pass


class WrongPassword(TeamError):
    pass


def strip_password(url: str) -> str:
    """The URL as kept in the replica: never the password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{host}"))


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}/{parts.path.lstrip('/') or '?'}"


def login(url: str, user: str | None = None) -> str:
    return user or urlsplit(url).username or os.environ.get("PGUSER") or ""


def connect(url: str, user: str | None = None, password: str | None = None, autocommit: bool = False):
    """A psycopg connection; the password comes from the argument, the URL,
    ANNOTATOR_PASSWORD, PGPASSWORD or ~/.pgpass (libpq reads the last two)."""
    import psycopg

    kwargs = {"connect_timeout": 5, "application_name": "annotator", "autocommit": autocommit}
    if user:
        kwargs["user"] = user
    password = password or os.environ.get("ANNOTATOR_PASSWORD")
    if password:
        kwargs["password"] = password
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as err:
        msg = str(err)
        name = login(url, user) or "this user"
        if "password authentication failed" in msg or "no password supplied" in msg:
            raise WrongPassword(
                f"The team server {where(url)} refused the password for {name}; nothing was sent."
            ) from err
        if "does not exist" in msg:
            raise TeamError(
                f"The team server {where(url)} has no such database or user ({msg.split('FATAL:')[-1].strip()})."
            ) from err
        raise Unreachable(f"The team server {where(url)} cannot be reached") from err
