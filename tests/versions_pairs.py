"""Draft/final pairs made from corpus transcripts, imported into a workspace, with
passages tagged on the draft and the right place of each one in the final known."""

from dataclasses import dataclass

from sqlmodel import select

from annotator.core.evidence import passages as passage_ops
from annotator.core.versions import drafts as sv
from annotator.core import samples, versions
from annotator.core.evidence import tagging
from annotator.core.ingest import import_file
from annotator.core.ingest.importer import parse_bytes
from annotator.core.store.models import Line, Passage


def corpus_turns(path, limit: int) -> list[sv.Turn]:
    """The turns of a real transcript, as our importer reads it."""
    data = path.read_bytes()
    parsed = parse_bytes(data, str(path), in_process=True)
    rows = [(v[4], v[5], v[6]) for v in parsed.values if v[5] not in ("header", "index")]
    turns = sv.turns_from_rows(rows)
    out, words = [], 0
    for t in turns:
        out.append(t)
        words += len(t.words)
        if words >= limit:
            break
    return out


def write(lines, fmt: str, path) -> str:
    if fmt == "pdf":
        path.write_bytes(samples.to_pdf(lines, "Test Inquiry", "2024-05-02"))
    else:
        path.write_text(samples.to_text(lines, "Test Inquiry", "2024-05-02"), encoding="utf-8")
    return str(path)


@dataclass
class Outcome:
    unchanged: int = 0
    exact_right: int = 0
    touched: int = 0
    touched_ok: int = 0
    wrong: list = None
    statuses: dict = None


def _located(ws, doc_id):
    with ws.session() as s:
        return sv.Located(s.exec(select(Line).where(Line.document_id == doc_id).order_by(Line.seq)).all())


def run_pair(ws, tmp_path, turns, fmt: str, count: int, seed: int, widths=(62, 54)) -> Outcome:
    """Import the draft, tag `count` passages, replace with the final, judge every passage."""
    draft_lines, draft_at = sv.lay_out(turns, widths[0], day=7)
    final_turns, edits = sv.edit(turns, seed=seed)
    final_lines, final_at = sv.lay_out(final_turns, widths[1], day=7)
    res = import_file(ws, write(draft_lines, fmt, tmp_path / f"draft{seed}.{fmt}"))
    assert res.status == "imported", res.reason
    doc_id = res.document_id
    at = _located(ws, doc_id)
    chosen = sv.spans(turns, count, seed=seed + 100)
    pids = {}
    for first, last in chosen:
        sp, sc, ep, ec = at.range(draft_at[first], draft_at[last])
        ch = tagging.tag(ws, doc_id, start=(sp, sc), end=(ep, ec))
        pids[ch.result] = (first, last)
    versions.replace(ws, doc_id, write(final_lines, fmt, tmp_path / f"final{seed}.{fmt}"))
    new_at = _located(ws, doc_id)
    order = [i for t in turns for i, _ in t.words]
    pos = {i: k for k, i in enumerate(order)}
    final_order = [i for t in final_turns for i, _ in t.words]
    out = Outcome(wrong=[], statuses={})
    with ws.session() as s:
        rows = {p.id: p for p in s.exec(select(Passage).where(Passage.document_id == doc_id))}
    for pid, (first, last) in pids.items():
        p = rows[pid]
        out.statuses[p.anchor] = out.statuses.get(p.anchor, 0) + 1
        ids = order[pos[first] : pos[last] + 1]
        survivors = [i for i in ids if i in final_at]
        kept = len(survivors) == len(ids)
        if kept:  # the same words, next to each other, with nothing new between
            k = final_order.index(ids[0])
            kept = final_order[k : k + len(ids)] == ids
        placed = p.anchor != "orphaned"
        got = (p.start_page, p.start_char, p.end_page, p.end_char)
        if kept:
            out.unchanged += 1
            want = new_at.range(final_at[ids[0]], final_at[ids[-1]])
            if placed and got == want:
                out.exact_right += 1
            elif placed and not _contains_only(got, survivors, ids, final_at, new_at, order, pos):
                out.wrong.append((pid, p.anchor, p.quote, "unchanged words placed elsewhere"))
            continue
        out.touched += 1
        if not placed:
            out.touched_ok += 1
        elif survivors and _contains_only(got, survivors, ids, final_at, new_at, order, pos):
            out.touched_ok += 1
        else:
            out.wrong.append((pid, p.anchor, p.quote, p.old_quote, first, last))
    return out


def _contains_only(got, survivors, ids, final_at, new_at, order, pos) -> bool:
    """The range holds every surviving word of the passage and no surviving word around it."""
    sp, sc, ep, ec = got
    start, end = (sp, sc), (ep, ec)

    def inside(i):
        p, a, b = new_at.word(final_at[i])
        return start <= (p, a) and (p, b) <= end

    def touches(i):
        p, a, b = new_at.word(final_at[i])
        return (p, b) > start and (p, a) < end

    if not all(inside(i) for i in survivors):
        return False
    lo, hi = pos[ids[0]], pos[ids[-1]]
    around = [i for i in order[max(0, lo - 60) : lo] + order[hi + 1 : hi + 61] if i in final_at]
    return not any(touches(i) for i in around)


def views(ws, doc_id):
    with ws.session() as s:
        return passage_ops.views(s, document_ids=[doc_id])


def script_turns() -> list[sv.Turn]:
    rows = [
        ("MR KARK", "speech", "Sir, the first witness today is Joanne Smith, who will affirm."),
        ("WITNESS", "question", "Mrs Smith, you were a ward sister at the hospital from 2005 until 2009?"),
        (
            "WITNESS",
            "answer",
            "Yes, on ward 11, a general medical ward with twenty eight beds and few nurses.",
        ),
        ("WITNESS", "question", "Could we have the rota for March on screen. Do you recognise it?"),
        ("WITNESS", "answer", "I do. It is the staffing rota I wrote every week for the matron's office."),
        ("WITNESS", "question", "Did anyone respond to the concerns about staffing at night [inaudible]?"),
        ("WITNESS", "answer", "Not that I ever saw. There was never money for agency staff at all."),
        ("THE CHAIRMAN", "speech", "We will take a short break now and come back at half past eleven."),
    ]
    return sv.turns_from_rows(rows * 6)


def script_pair(ws, tmp_path, fmt="txt"):
    """A draft with three passages: one in a turn the final drops, one on a corrected word,
    one untouched; a note, a theme and a link on them."""
    turns = script_turns()
    draft, draft_at = sv.lay_out(turns, 62, day=3)
    final_turns = [t for n, t in enumerate(turns) if n != 9]  # the second "Mrs Smith, you were" question goes
    inaudible = next(i for i, w in turns[13].words if w == "[inaudible]?")
    final_turns = [
        sv.Turn(t.role, t.speaker, [(-1, "tonight?") if i == inaudible else (i, w) for i, w in t.words])
        for t in final_turns
    ]
    final, final_at = sv.lay_out(final_turns, 50, day=3)
    res = import_file(ws, write(draft, fmt, tmp_path / f"draft.{fmt}"))
    with ws.session() as s:
        at = sv.Located(s.exec(select(Line).where(Line.document_id == res.document_id)).all())
    gone = turns[9].words
    hit = turns[13].words
    kept = turns[20].words
    pids = []
    for words in (gone, hit, kept):
        sp, sc, ep, ec = at.range(draft_at[words[0][0]], draft_at[words[-1][0]])
        pids.append(tagging.tag(ws, res.document_id, start=(sp, sc), end=(ep, ec), theme_ids=[1]).result)
    tagging.set_note(ws, pids[1], "asked twice")
    link = tagging.link(ws, pids[1], pids[2], "corroborates").result
    path = write(final, fmt, tmp_path / f"final.{fmt}")
    return res.document_id, pids, link, path, (final_at, kept)
