"""Every undoable operation, as a property: do, undo, redo equals do, and do,
undo equals before, comparing the whole workspace (every table but the audit
log, and the passages' full-text index); a refused operation changes nothing.

Each example starts from a copy of a small workspace (the demo, plus nested
themes and a document with nothing tagged), then runs a few random
operations first so the one under test meets varied states."""

import os
import shutil
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import demo, versions

from annotator.core.library import documents

from annotator.core.store import index

from annotator.core.evidence import tagging, theme_ops
from annotator.core.evidence.changes import Command
from annotator.core.util.errors import AnnotatorError
from annotator.core.ingest import import_file
from annotator.core.search import actions
from annotator.core.team.audience import SetAudience
from annotator.core.store.workspace import Workspace

SKIP = ("audit", "sqlite_", "blob")  # blob: originals by SHA-256, only ever added (see _same)
VERSIONS: dict[str, str] = {}  # where the later versions of the base's documents are
FTS = ("line_fts", "passage_fts")


def dump(ws) -> dict:
    """Every row of every table except the audit log, plus the passage index."""
    with ws.session() as s:
        raw = s.connection().connection.driver_connection
        names = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {
            n: sorted(raw.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
            for n in names
            if not n.startswith(SKIP) and not n.startswith(FTS)
        }
        out = {n: rows for n, rows in out.items() if rows}  # an empty table is as good as none
        out["blob"] = {r[0] for r in raw.execute("SELECT sha256 FROM blob")}
        out["passage_fts"] = sorted(raw.execute("SELECT rowid, * FROM passage_fts").fetchall())
        assert index.differences(s.connection()) == []
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory, demo_file):
    path = tmp_path_factory.mktemp("undo") / "base.annot"
    shutil.copyfile(demo_file, path)
    ws = Workspace.open(str(path))
    with ws.session() as s:
        top = [r[0] for r in s.connection().exec_driver_sql("SELECT id FROM theme ORDER BY id")]
    staffing = theme_ops.add(ws, "Staffing", "#3366CC", top[0]).result
    theme_ops.add(ws, "Nursing", "#33CC66", staffing)
    theme_ops.add(ws, "Finance", "#CC6633", top[1])
    note = path.parent / "note.txt"
    note.write_text("File note INQ000123456\n\nNothing is tagged here.\nA second line.\n", encoding="utf-8")
    import_file(ws, str(note), kind="other")
    VERSIONS["folder"] = str(path.parent)
    # later versions of the note and of the (tagged) report, for ReplaceDocument
    (path.parent / "note v2.txt").write_text(
        "File note INQ000123456\n\nNothing at all is tagged here.\nA second line.\n", encoding="utf-8"
    )
    report = (demo.seeds_dir() / "keogh-evidence-report.txt").read_text(encoding="utf-8")
    (path.parent / "report v2.txt").write_text(
        "Corrected version\n\n" + report.replace(" the ", " this ", 5), encoding="utf-8"
    )
    actions.save_search(ws, "Targets", "targets")
    ws.close()
    return path


def facts(ws) -> dict:
    with ws.session() as s:
        q = s.connection().exec_driver_sql
        return {
            "ws": ws,
            "files": {r[0]: r[1] for r in q("SELECT id, filename FROM document")},
            "docs": [r[0] for r in q("SELECT id FROM document")],
            "passages": [r[0] for r in q("SELECT id FROM passage")],
            "live": [r[0] for r in q("SELECT id FROM passage WHERE deleted_at IS NULL")],
            "themes": [r[0] for r in q("SELECT id FROM theme")],
            "links": [r[0] for r in q("SELECT id FROM link")],
            "lines": list(
                q("SELECT id, document_id, page_index, char_start, char_end FROM line ORDER BY seq")
            ),
        }


names = st.sampled_from(["Targets", "Quality", "Staffing", "New theme", "  ", "Ward 7"])
texts = st.text(alphabet="abc XYZ é\n", max_size=12)
maybe = st.booleans()


def some(data, values, min_size=0):
    return data.draw(st.lists(st.sampled_from(values), min_size=min_size, max_size=3)) if values else []


def one(data, values, default=9999):
    return data.draw(st.sampled_from(values)) if values else default


def _tag(data, f):
    lines = f["lines"]
    i = data.draw(st.integers(0, len(lines) - 1))
    j = data.draw(st.integers(i, min(i + 4, len(lines) - 1)))
    if lines[j][1] != lines[i][1]:
        j = i
    a, b = lines[i], lines[j]
    if data.draw(maybe):  # an area (refused on a text file's page: it has none to draw on)
        x0, y0 = data.draw(st.floats(0, 600)), data.draw(st.floats(0, 850))
        w, h = data.draw(st.floats(1, 300)), data.draw(st.floats(1, 300))
        return tagging.Tag(
            a[1],
            theme_ids=some(data, f["themes"]),
            note=data.draw(texts),
            area=[a[2], x0, y0, x0 + w, y0 + h],
            label=data.draw(texts),
        )
    return tagging.Tag(
        a[1],
        theme_ids=some(data, f["themes"]),
        note=data.draw(texts),
        important=data.draw(maybe),
        redact=data.draw(maybe),
        start=(a[2], a[3]),
        end=(b[2], b[4]),
    )


def _edit_passage(data, f):
    keys = data.draw(st.sets(st.sampled_from(["note", "important", "redact", "deleted"]), min_size=1))
    values = {"note": data.draw(texts), "important": data.draw(maybe), "redact": data.draw(maybe)}
    values["deleted"] = data.draw(maybe)
    return tagging.EditPassage(one(data, f["passages"]), {k: values[k] for k in keys})


def _update_document(data, f):
    values = {
        "title": data.draw(st.sampled_from(["Day 46 transcript", "", "Report"])),
        "kind": data.draw(st.sampled_from(documents.KINDS)),
        "urn": data.draw(st.sampled_from(["", "INQ000123456", "bad urn"])),
        "witness": data.draw(st.sampled_from(["", "Sir Bruce Keogh"])),
        "date": data.draw(st.sampled_from(["", "2011-05-12", "12/05/2011"])),
        "day": data.draw(st.sampled_from([None, 3, 46, "x"])),
    }
    keys = data.draw(st.sets(st.sampled_from(sorted(values)), min_size=1))
    return documents.UpdateDocument(one(data, f["docs"]), {k: values[k] for k in keys})


def _edit_theme(data, f):
    values = {
        "name": data.draw(names),
        "colour": data.draw(st.sampled_from(["#112233", "red"])),
        "shortcut": data.draw(st.sampled_from(["", "1", "7", "k"])),
    }
    keys = data.draw(st.sets(st.sampled_from(sorted(values)), min_size=1))
    return theme_ops.EditTheme(one(data, f["themes"]), {k: values[k] for k in keys})


def _tag_hits(data, f):
    items = [("line", line[0]) for line in some(data, f["lines"], 1)] + [
        ("passage", p) for p in some(data, f["passages"])
    ]
    return actions.TagHits(items, one(data, f["themes"]), data.draw(texts))


def _replace(data, f):
    ws, files = f["ws"], f["files"]
    doc = data.draw(st.sampled_from(sorted(files)))
    new = os.path.join(VERSIONS["folder"], "note v2.txt" if files[doc] == "note.txt" else "report v2.txt")
    try:
        return versions.ReplaceDocument(versions.prepare(ws, doc, new))
    except AnnotatorError:  # already that version, or a file of another kind: nothing to try
        return None


def _place(data, f):
    pid = one(data, f["passages"])
    with f["ws"].session() as s:
        doc = (
            s.connection().exec_driver_sql(f"SELECT document_id FROM passage WHERE id = {int(pid)}").scalar()
        )
    lines = [line for line in f["lines"] if line[1] == doc] or f["lines"]
    i = data.draw(st.integers(0, len(lines) - 1))
    a, b = lines[i], lines[min(i + data.draw(st.integers(0, 3)), len(lines) - 1)]
    return versions.PlacePassage(pid, start=(a[2], a[3]), end=(b[2], b[4]))


OPS = {
    "SetAudience": lambda data, f: SetAudience(
        one(data, f["passages"]), data.draw(st.sampled_from(["me", "team", "workspace", "nobody"]))
    ),
    "ReplaceDocument": _replace,
    "PlacePassage": _place,
    "Tag": _tag,
    "EditPassage": _edit_passage,
    "SetThemes": lambda data, f: tagging.SetThemes(one(data, f["passages"]), some(data, f["themes"])),
    "ThemeOnPassages": lambda data, f: tagging.ThemeOnPassages(
        some(data, f["passages"], 1), one(data, f["themes"]), data.draw(maybe)
    ),
    "AddLink": lambda data, f: tagging.AddLink(
        one(data, f["live"]),
        one(data, f["live"]),
        data.draw(st.sampled_from(["contradicts", "see also", " ", "Cf"])),
    ),
    "SetLinkGone": lambda data, f: tagging.SetLinkGone(one(data, f["links"]), data.draw(maybe)),
    "AddTheme": lambda data, f: theme_ops.AddTheme(
        data.draw(names),
        data.draw(st.sampled_from(["#607D8B", "#aa0000", "blue"])),
        data.draw(st.sampled_from([None, *f["themes"]])),
        data.draw(st.sampled_from(["", "9"])),
    ),
    "EditTheme": _edit_theme,
    "MoveTheme": lambda data, f: theme_ops.MoveTheme(
        one(data, f["themes"]),
        data.draw(st.sampled_from([None, *f["themes"]])),
        data.draw(st.one_of(st.none(), st.integers(-1, 5))),
    ),
    "RemoveTheme": lambda data, f: theme_ops.RemoveTheme(
        one(data, f["themes"]), data.draw(st.sampled_from([None, *f["themes"]])), data.draw(maybe)
    ),
    "UpdateDocument": _update_document,
    "RemoveDocument": lambda data, f: documents.RemoveDocument(one(data, f["docs"])),
    "TagHits": _tag_hits,
    "RereadUrns": lambda data, f: documents.RereadUrns(
        data.draw(st.sampled_from([r"[A-Z]{3,4}\d{7,9}", r"[A-Z]{3}\d{9}", r"MSF\d+", "("]))
    ),
    "SaveSearch": lambda data, f: actions.SaveSearch(
        data.draw(st.sampled_from(["Targets", "Mortality"])),
        data.draw(st.sampled_from([None, "mortality", "theme:quality"])),
    ),
}


def same(now: dict, then: dict) -> bool:
    """The same workspace: every table equal; originals (blobs) may only have been added
    (a version's bytes stay once stored, as an import's do)."""
    rest = {k: v for k, v in now.items() if k != "blob"}
    return rest == {k: v for k, v in then.items() if k != "blob"} and then["blob"] <= now["blob"]


def _concrete(cls) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= _concrete(sub)
        if not sub.__name__.startswith("_"):
            out.add(sub)
    return out


def test_every_command_has_a_property_test():
    assert {c.__name__ for c in _concrete(Command)} == set(OPS)


def _attempt(ws, cmd: Command):
    """Do it; a refused command must leave the workspace as it was."""
    before = dump(ws)
    if cmd is None:
        return None, before
    try:
        return cmd.do(ws), before
    except AnnotatorError:
        assert same(dump(ws), before)
        return None, before


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_do_undo_redo(name, data, base, tmp_path):
    path = tmp_path / f"{uuid.uuid4().hex}.annot"
    shutil.copyfile(base, path)
    ws = Workspace.open(str(path))
    try:
        for _ in range(data.draw(st.integers(0, 2))):  # a varied state first
            warm = data.draw(st.sampled_from(sorted(OPS)))
            _attempt(ws, OPS[warm](data, facts(ws)))
        change, before = _attempt(ws, OPS[name](data, facts(ws)))
        if change is None:
            return
        after = dump(ws)
        for _ in range(2):  # and again: the undo data survives a cycle
            change.command.undo(ws)
            assert same(dump(ws), before)
            change.command.redo(ws)
            assert same(dump(ws), after)
    finally:
        ws.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_sequence_undoes_and_redoes_step_by_step(data, base, tmp_path):
    """As the window's undo stack does: several steps, all undone, all redone."""
    path = tmp_path / f"{uuid.uuid4().hex}.annot"
    shutil.copyfile(base, path)
    ws = Workspace.open(str(path))
    try:
        states, commands = [dump(ws)], []
        for _ in range(data.draw(st.integers(1, 5))):
            change, _before = _attempt(ws, OPS[data.draw(st.sampled_from(sorted(OPS)))](data, facts(ws)))
            if change is not None:
                commands.append(change.command)
                states.append(dump(ws))
        for i in reversed(range(len(commands))):
            commands[i].undo(ws)
            assert same(dump(ws), states[i])
        for i, command in enumerate(commands):
            command.redo(ws)
            assert same(dump(ws), states[i + 1])
    finally:
        ws.close()
