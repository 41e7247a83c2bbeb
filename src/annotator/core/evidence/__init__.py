"""Passages, themes and links: tagging, undoable commands and citations."""
