"""Qt-free core: every rule about the data lives here (checked by import-linter)."""
