"""Three-way merge of one row: the laptop's new state, the base it was edited
from, and the server's current state. Pure functions, no I/O.

A group is a set of fields that change together (a passage's range); every
other field is its own group. Fields changed on both sides to different
values conflict; so does deleting a row the other side edited. Time stamps
in `latest` never conflict: the later one is kept.
"""

from dataclasses import dataclass, field

from annotator.core.team.tables import Spec

DELETED = "deleted"


@dataclass
class Outcome:
    row: dict | None  # the server's new state (None: a tombstone)
    write: bool  # the server row changes
    conflict: list[str] = field(default_factory=list)  # groups both sides changed differently


def alive(spec: Spec, rec: dict | None) -> bool:
    return rec is not None and not (spec.soft_delete and rec.get("deleted_at"))


def changed(spec: Spec, a: dict | None, b: dict | None) -> set[str]:
    """Groups that differ between two states (deletion counts as the group 'deleted')."""
    out = set()
    if alive(spec, a) != alive(spec, b):
        out.add(DELETED)
    if a is None or b is None:
        return out
    for f in spec.fields:
        if f not in spec.latest and a.get(f) != b.get(f):
            out.add(spec.group_of(f))
    return out


def _take(spec: Spec, into: dict, src: dict, groups: set[str]) -> None:
    for f in spec.fields:
        if spec.group_of(f) in groups:
            into[f] = src.get(f)


def merge(
    spec: Spec, base: dict | None, mine: dict | None, theirs: dict | None, exists: bool = True
) -> Outcome:
    """`mine`/`theirs` None: deleted (a tombstone); `exists` False: the server never had the row."""
    if not exists:
        return Outcome(mine, mine is not None)
    if theirs is None:  # deleted on the server: never resurrected by an older copy
        if mine is not None and base is not None and changed(spec, base, mine) - {DELETED}:
            return Outcome(None, False, [DELETED])  # I edited what they deleted
        return Outcome(None, False)
    if base is None:  # never agreed: everything on both sides counts as changed
        mine_c = changed(spec, theirs, mine) | ({DELETED} if mine is None else set())
        theirs_c = set(mine_c)
    else:
        mine_c, theirs_c = changed(spec, base, mine), changed(spec, base, theirs)
    both = {g for g in mine_c & theirs_c if g in changed(spec, mine, theirs)}
    if DELETED in mine_c and not alive(spec, mine) and theirs_c - {DELETED} and alive(spec, theirs):
        both.add(DELETED)  # I deleted what they edited
    if DELETED in theirs_c and not alive(spec, theirs) and mine_c - {DELETED} and alive(spec, mine):
        both.add(DELETED)  # they deleted what I edited
    if DELETED in both:
        return Outcome(theirs, False, sorted(both))
    if mine is None:
        return Outcome(None, True)
    row = dict(theirs)
    _take(spec, row, mine, mine_c - both)
    for f in spec.latest:
        row[f] = max(mine.get(f) or "", theirs.get(f) or "") or None
    return Outcome(row, row != theirs, sorted(both))
