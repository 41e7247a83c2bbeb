"""Annotator: evidence annotation for counsel at public inquiries."""

__version__ = "0.1.0"
APP_NAME = "Annotator"
LICENCE = "AGPL-3.0-or-later"
