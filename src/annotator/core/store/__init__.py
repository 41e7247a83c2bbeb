"""The workspace file: its tables, schema upgrades, lock, backups, settings and FTS5 index."""
