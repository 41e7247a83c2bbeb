"""annotator import / docs / lines / meta, run as a user would."""

import json

import subprocess

import pytest
from helpers import CORPUS, run_cli

from annotator.cli import run
from annotator.core import samples


@pytest.fixture
def cli(capsys):
    """The command line in this process (fast); run_cli below checks the real thing."""

    def call(*args, check=True):
        capsys.readouterr()
        code = run([str(a) for a in args])
        out = capsys.readouterr()
        result = subprocess.CompletedProcess(args, code, out.out, out.err)
        if check and code != 0:
            raise AssertionError(f"exit {code}: {out.err}")
        return result

    return call


TURNS = [
    ["", "(10.00 am)"],
    ["THE CHAIRMAN", "Yes, Mr Kark."],
    ["@sworn", "JOANNE SMITH (affirmed)"],
    ["@heading", "Questions by MR KARK"],
    ["Q", "Were the targets discussed at board level?"],
    ["A", "They were a standing item on every agenda."],
] * 6


def _day(tmp_path, condensed=False):
    lines = samples.layout(TURNS, 12, "JOANNE SMITH", "MR KARK")
    path = tmp_path / "Day 12 MSF0000999.pdf"
    path.write_bytes(samples.to_pdf(lines, "Test Inquiry", "2011-03-01", condensed=condensed, index=True))
    return path, lines


def test_import_docs_lines_and_meta(tmp_path, cli):
    ws = tmp_path / "w.annot"
    cli("new", ws)
    day, truth = _day(tmp_path)
    statement = tmp_path / "statement.txt"
    statement.write_text("WITNESS STATEMENT OF JOANNE SMITH\n\nI was a ward sister.\n\fPage two text.\n")
    out = cli("import", ws, day, statement, "--witness", "JOANNE SMITH", "--json")
    results = json.loads(out.stdout)
    assert [r["status"] for r in results] == ["imported", "imported"]
    docs = json.loads(cli("docs", ws, "--json").stdout)
    assert {"id", "title", "kind", "urn", "witness", "day", "sha256", "pages"} <= set(docs[0])
    t = docs[0]
    assert (t["kind"], t["day"], t["urn"], t["witness"]) == ("transcript", 12, "MSF0000999", "JOANNE SMITH")
    assert docs[1]["kind"] == "witness statement"
    rows = json.loads(cli("lines", ws, str(t["id"]), "--json").stdout)
    assert [(r["day"], r["page"], r["line"], r["speaker"]) for r in rows] == [
        (x.day, x.page, x.line, x.speaker) for x in truth
    ]
    assert rows[4]["text"].startswith("Q.  Were the targets")
    assert all(r["role"] != "index" for r in rows)
    with_index = json.loads(cli("lines", ws, "MSF0000999", "--index", "--json").stdout)
    assert len(with_index) > len(rows)
    plain = json.loads(cli("lines", ws, "statement.txt", "--json").stdout)
    assert [(r["page"], r["line"]) for r in plain] == [(1, 1), (1, 2), (2, 1)]
    assert plain[2]["text"] == "Page two text."
    shown = cli("lines", ws, str(t["id"])).stdout.splitlines()
    assert shown[4].split()[0] == "12/1:5"
    # metadata edits by id, URN or title
    cli(
        "meta",
        ws,
        str(docs[1]["id"]),
        "--title",
        "Smith statement",
        "--urn",
        "WIT0000001",
        "--date",
        "2011-02-01",
        "--kind",
        "witness statement",
    )
    meta = json.loads(cli("meta", ws, "WIT0000001", "--json").stdout)
    assert (meta["title"], meta["urn"], meta["date"]) == ("Smith statement", "WIT0000001", "2011-02-01")
    cli("meta", ws, "Smith statement", "--day", "")
    # the same file again is not duplicated
    again = cli("import", ws, day)
    assert "already imported" in again.stdout
    assert len(json.loads(cli("docs", ws, "--json").stdout)) == 2


def test_folders_import_and_failures_are_one_sentence_each(tmp_path, cli):
    ws = tmp_path / "w.annot"
    cli("new", ws)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Hello\n")
    (folder / "broken.pdf").write_bytes(b"not a pdf at all")
    enc = CORPUS / "pdf-corpus/encrypted/pdfplumber__password-example.pdf"
    out = run_cli("import", ws, folder, enc, check=False)  # a real process: exit code and stderr
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    errors = out.stderr.strip().splitlines()
    assert errors == [
        "annotator: broken.pdf not imported: not a PDF: the file does not start like one",
        "annotator: pdfplumber__password-example.pdf not imported: "
        "encrypted: a password is needed to open it",
    ]
    assert "1 imported, 0 already present, 2 not imported." in out.stdout
    ok = cli("import", ws, enc, "--password", "test", "--kind", "exhibit")
    assert "Imported pdfplumber__password-example.pdf" in ok.stdout


def test_user_errors_are_one_line_without_traceback(tmp_path, cli):
    ws = tmp_path / "w.annot"
    cli("new", ws)
    for args in (
        ("lines", ws, "99"),
        ("meta", ws, "99", "--title", "x"),
        ("import", ws, tmp_path / "nothing"),
        ("docs", tmp_path / "missing.annot"),
        ("meta", ws, "1", "--day", "two"),
    ):
        out = cli(*args, check=False)
        assert out.returncode != 0, args
        assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, (args, out.stderr)
