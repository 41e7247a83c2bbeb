"""Child process for the kill harness: imports and tags in a loop.

Usage: python kill_driver.py WORKSPACE SEED SCRATCH_DIR

Each change's id is printed (and flushed) only after its transaction has
committed, so every printed line is a promise the workspace must keep:
  I <document id> <marker word>      an import
  T <passage id> <note>              a new passage
  D <passage id>                     a passage deleted
  H <theme id> <name>                a theme added
"""

import os
import random
import sys

from sqlmodel import select

from annotator.core import samples

from annotator.core.evidence import tagging, theme_ops
from annotator.core.ingest import import_file
from annotator.core.store.models import Document, Passage
from annotator.core.store.workspace import Workspace


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def transcript_text(rng: random.Random, marker: str, pages: int) -> str:
    turns = [["@sworn", "MR ALAN SMITH (sworn)"], ["@heading", "Questions by MS JONES"]]
    for i in range(pages * 6):
        turns.append(["Q", f"Question {i} about {marker} and the ward staffing {rng.random():.6f}?"])
        turns.append(["A", f"Answer {i}: the board minutes for {marker} show the targets came first."])
    lines = samples.layout(turns, day=rng.randint(1, 99), witness="MR ALAN SMITH", counsel="MS JONES")
    return samples.to_text(lines, "The Test Inquiry", "2010-11-08")


def main() -> int:
    path, seed, scratch = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    ws = Workspace.open(path)
    say("ready")
    n = 0
    while True:
        n += 1
        with ws.session() as s:
            docs = [d.id for d in s.exec(select(Document))]
            live = [p.id for p in s.exec(select(Passage).where(Passage.deleted_at.is_(None)))]
        roll = rng.random()
        if not docs or roll < 0.15:
            marker = f"kmark{seed}x{n}"
            src = os.path.join(scratch, f"{marker}.txt")
            with open(src, "w", encoding="utf-8") as fh:
                fh.write(transcript_text(rng, marker, rng.randint(1, 4)))
            res = import_file(ws, src)
            os.unlink(src)
            if res.status != "imported":
                raise SystemExit(f"import failed: {res.reason}")
            say(f"I {res.document_id} {marker}")
        elif roll < 0.85:
            note = f"note{seed}x{n}"
            doc = rng.choice(docs)
            ch = tagging.tag(
                ws,
                doc,
                start=(0, rng.randint(0, 40)),
                end=(0, rng.randint(60, 400)),
                theme_ids=rng.sample([1, 2, 3, 4], rng.randint(1, 3)),
                note=note,
            )
            say(f"T {ch.result} {note}")
        elif roll < 0.95 and live:
            pid = rng.choice(live)
            tagging.delete_passage(ws, pid)
            say(f"D {pid}")
        else:
            name = f"Theme {seed}x{n}"
            ch = theme_ops.add(ws, name, "#336699")
            say(f"H {ch.result} {name}")


if __name__ == "__main__":
    sys.exit(main())
