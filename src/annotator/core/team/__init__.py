"""A team on one inquiry: laptops keep SQLite replicas, a PostgreSQL server is the meeting point.

Design, in a few lines:
- Global ids. Every synced row has a uid (32 hex digits) made on the laptop
  that created it; `sync_map` maps it to the local integer id, so the rest of
  the code keeps int ids. Blobs are addressed by sha256, settings by key;
  pages and lines follow their document (never edited, never synced alone).
- Change records. SQLite triggers (team/local.py) note each touched row in
  `sync_dirty` (passage_theme and audience edits mark their passage); a
  sync turns dirty rows into outbox records: change id, uid, the row's new
  state and the base state it was edited from (last agreed with the server).
  The audit log is synced too, so every change keeps author and time; the
  server's change log adds the login, the device and the time received.
- Per-row versions. Each server row has a version and a server sequence
  number (seq). Pushes run one at a time under an advisory lock, so seq order
  is commit order and a pull asks only for rows with seq > the last it saw.
- Idempotent pushes. The server remembers every change id it applied; a
  push re-sent after a kill is a no-op and the laptop just takes the result.
- Merging (team/merge.py): a row pushed against an older version is merged
  field by field against its base; fields changed on both sides to different
  values (a passage's note, themes, range; edit against delete; rename
  against delete) become a conflict that keeps both versions with authors
  and times; the server keeps its version until someone resolves it.
- Server tables are built from the same SQLModel models (team/schema.py):
  the model's columns with uids for ids, plus version, seq, owner, audience;
  versioned, upgraded in place, and a newer one is refused in one sentence.
- Who sees what: passages (and their audit rows) carry an audience (me,
  team, workspace); row-level security on the server enforces it.
"""
