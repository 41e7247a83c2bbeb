"""Re-anchoring: every passage of a hearing day carried from its draft to the final.

Both sides build the same draft/final pair (sample_versions, seeded) before the
clock starts. Ours: `versions.replace` of the draft by the final (read the new
file, place every passage, write it all); raw: a plain str.find of every quote
in the final's text, which places nothing that re-wrapped or changed.
"""

import os
import random
import shutil
import tempfile
import time

ROLES = {
    "Q": "question",
    "A": "answer",
    "@sworn": "heading",
    "@heading": "heading",
    "@stage": "stage",
    "": "text",
}


def _pair(pages: int, count: int):
    from annotator.core.versions import drafts as sv
    from bench import vocab

    rng = random.Random(18)
    turns, _w, _c = vocab.day_turns(rng, pages * 25)
    rows = [(who if who not in ROLES else "", ROLES.get(who, "speech"), text) for who, text in turns]
    draft_turns = sv.turns_from_rows(rows)
    final_turns, _ = sv.edit(draft_turns, seed=5)
    draft, draft_at = sv.lay_out(draft_turns, 62, day=12)
    final, _ = sv.lay_out(final_turns, 56, day=12)
    return draft_turns, draft, draft_at, final, sv.spans(draft_turns, count, seed=6)


def reanchor_ours(pages: int, passages: int, tmp: str) -> dict:
    from sqlmodel import select

    from annotator.core.evidence import anchors

    from annotator.core import samples, versions
    from annotator.core.versions import drafts as sv
    from annotator.core.ingest import import_file
    from annotator.core.store.models import Line
    from annotator.core.store.workspace import Workspace

    _turns, draft, draft_at, final, spans = _pair(pages, passages)
    folder = tempfile.mkdtemp(prefix="reanchor-", dir=tmp)
    try:
        d, f = os.path.join(folder, "draft.txt"), os.path.join(folder, "final.txt")
        with open(d, "w", encoding="utf-8") as fh:
            fh.write(samples.to_text(draft, "Bench Inquiry", "2024-05-02"))
        with open(f, "w", encoding="utf-8") as fh:
            fh.write(samples.to_text(final, "Bench Inquiry", "2024-05-02"))
        ws = Workspace.create(os.path.join(folder, "reanchor.annot"), title="reanchor bench")
        doc_id = import_file(ws, d).document_id
        with ws.write("bench passages") as s:  # in bulk: tagging one by one is another benchmark
            layout = versions.stored_layout(s, doc_id)
            at = sv.Located(s.exec(select(Line).where(Line.document_id == doc_id)).all())
            raw = s.connection().connection.driver_connection
            rows = []
            for first, last in spans:
                a: anchors.Anchor = layout.anchor(*at.range(draft_at[first], draft_at[last]))
                rows.append(
                    (doc_id, a.start_page, a.start_char, a.end_page, a.end_char, a.quote, a.prefix, a.suffix)
                    + (a.day, a.tpage_from, a.line_from, a.tpage_to, a.line_to)
                )
            raw.executemany(
                "INSERT INTO passage (document_id, start_page, start_char, end_page, end_char, rects, quote, "
                "prefix, suffix, day, tpage_from, line_from, tpage_to, line_to, note, author, important, "
                "redact, created_at, modified_at, anchor, old_quote) VALUES "
                "(?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?, ?, '', 'bench', 0, 0, '', '', '', '')",
                rows,
            )
        t, c = time.perf_counter(), time.process_time()
        rep = versions.prepare(ws, doc_id, f)
        placed = time.perf_counter() - t
        versions.apply(ws, rep)
        dt, cpu = time.perf_counter() - t, time.process_time() - c  # cpu: this process's share
        ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "value": dt,
        "prepare_s": placed,
        "cpu_s": cpu,
        "pages": len(final) // 25,
        "passages": len(spans),
        **rep.counts,
    }


def reanchor_raw(pages: int, passages: int) -> dict:
    from annotator.core import samples

    turns, _draft, _at, final, spans = _pair(pages, passages)
    words = {i: w for t in turns for i, w in t.words}
    order = [i for t in turns for i, _ in t.words]
    pos = {i: k for k, i in enumerate(order)}
    quotes = [" ".join(words[i] for i in order[pos[a] : pos[b] + 1]) for a, b in spans]
    text = samples.to_text(final, "Bench Inquiry", "2024-05-02")
    t = time.perf_counter()
    found = sum(1 for q in quotes if text.find(q) >= 0)
    dt = time.perf_counter() - t
    return {"value": dt, "found": found, "passages": len(quotes)}
