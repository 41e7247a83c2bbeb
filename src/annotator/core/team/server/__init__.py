"""The server's side of a team: its tables, connecting, pushes, bulk transfer of
documents' content, and a throw-away server for tests and benchmarks."""
