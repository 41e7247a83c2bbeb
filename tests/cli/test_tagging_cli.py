import json
from types import SimpleNamespace

from helpers import run_cli

from annotator.cli import run


def cli(capsys, *args, check=True):
    """In-process run of the command line (faster than a child process)."""
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    if check:
        assert code == 0, err
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


def test_tag_passages_link(demo_file, tmp_path, capsys):
    import shutil

    ws = tmp_path / "w.annot"
    shutil.copyfile(demo_file, ws)
    out = run_cli(
        "tag", ws, "1", "--page", "3", "--lines", "2-4", "--theme", "Safety", "--note", "NRLS", "--json"
    )
    a = json.loads(out.stdout)
    assert a["citation"] == "Day 45/3:2-4" and a["themes"] == ["Safety"] and a["note"] == "NRLS"
    b = json.loads(
        cli(
            capsys,
            "tag",
            ws,
            "1",
            "--from",
            "2:3",
            "--to",
            "2:4",
            "--theme",
            "Targets",
            "--theme",
            "quality",
            "--json",
        ).stdout
    )
    assert b["citation"] == "Day 45/2:3-4" and b["themes"] == ["Targets", "Quality"]
    c = json.loads(
        cli(capsys, "tag", ws, "MSF0000045", "--quote", "Sir Bruce Keogh", "--theme", "4", "--json").stdout
    )
    assert c["citation"].startswith("{MSF0000045/") and "Sir Bruce Keogh" in c["quote"]
    cli(capsys, "link", ws, a["id"], b["id"], "--relation", "Contradicts")
    rows = json.loads(cli(capsys, "passages", ws, "--json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert {"id", "document", "citation", "quote", "themes", "note", "links"} <= set(by_id[a["id"]])
    assert by_id[a["id"]]["links"] == [
        {"id": by_id[a["id"]]["links"][0]["id"], "relation": "contradicts", "to": b["id"], "direction": "out"}
    ]
    assert by_id[b["id"]]["links"][0]["direction"] == "in"
    safety = json.loads(cli(capsys, "passages", ws, "--theme", "Safety", "--json").stdout)
    assert a["id"] in [r["id"] for r in safety] and b["id"] not in [r["id"] for r in safety]
    assert "Day 45/3:2-4" in cli(capsys, "passages", ws).stdout


def test_bad_tag_input_is_one_sentence_and_changes_nothing(demo_file, tmp_path, capsys):
    import shutil

    ws = tmp_path / "w.annot"
    shutil.copyfile(demo_file, ws)
    before = cli(capsys, "passages", ws, "--json").stdout
    for args in (
        ["--quote", "words that are not there", "--theme", "Safety"],
        ["--page", "3", "--lines", "30-31", "--theme", "Safety"],
        ["--page", "3", "--lines", "2", "--theme", "No such theme"],
        ["--page", "3", "--theme", "Safety"],
        ["--from", "2", "--to", "3:1", "--theme", "Safety"],
    ):
        proc = cli(capsys, "tag", ws, "1", *args, check=False)
        assert proc.returncode == 2, args
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert cli(capsys, "link", ws, "1", "1", check=False).returncode == 2
    assert cli(capsys, "passages", ws, "--json").stdout == before


def test_edit_marks_important_and_redacted_and_the_bundle_withholds_the_words(demo_file, tmp_path, capsys):
    import shutil

    import pymupdf

    ws = tmp_path / "w.annot"
    shutil.copyfile(demo_file, ws)
    a = json.loads(
        cli(
            capsys,
            "tag",
            ws,
            "1",
            "--quote",
            "dysfunctional surgical unit",
            "--theme",
            "Safety",
            "--important",
            "--json",
        ).stdout
    )
    assert a["important"] is True and a["redact"] is False
    out = cli(capsys, "edit", ws, a["id"], "--redact").stdout
    assert "(important) (redacted in bundles)" in out
    row = next(r for r in json.loads(cli(capsys, "passages", ws, "--json").stdout) if r["id"] == a["id"])
    assert row["redact"] is True
    assert "(redacted in bundles)" in cli(capsys, "passages", ws).stdout
    # every passage quoting those words is redacted, so the bundle must not hold them anywhere
    for r in json.loads(cli(capsys, "passages", ws, "--json").stdout):
        if "dysfunctional" in r["quote"]:
            cli(capsys, "edit", ws, r["id"], "--redact")
    cli(capsys, "export", ws, "--out", tmp_path / "b.pdf", "--source-pages", "--doc", "1")
    with pymupdf.open(tmp_path / "b.pdf") as doc:
        assert "dysfunctional" not in " ".join(p.get_text() for p in doc)
        assert "Redacted" in " ".join(p.get_text() for p in doc)
    cleared = json.loads(cli(capsys, "edit", ws, a["id"], "--no-redact", "--no-important", "--json").stdout)
    assert cleared["redact"] is False and cleared["important"] is False
    bad = cli(capsys, "edit", ws, a["id"], check=False)
    assert bad.returncode == 2 and "--redact" in bad.stderr
    gone = cli(capsys, "edit", ws, 99999, "--redact", check=False)
    assert gone.returncode == 2 and "99999" in gone.stderr


def test_edit_note_and_themes_unlink_and_delete(demo_file, tmp_path, capsys):
    import shutil

    ws = tmp_path / "w.annot"
    shutil.copyfile(demo_file, ws)
    rows = json.loads(cli(capsys, "passages", ws, "--json").stdout)
    p = next(r for r in rows if r["links"] and "Targets" not in r["themes"] and r["themes"])
    drop = p["themes"][0]
    edited = json.loads(
        cli(
            capsys,
            "edit",
            ws,
            p["id"],
            "--note",
            "Checked against the exhibit.",
            "--add-theme",
            "Targets",
            "--remove-theme",
            drop,
            "--json",
        ).stdout
    )
    assert edited["note"] == "Checked against the exhibit."
    assert edited["themes"] == [t for t in p["themes"] if t != drop] + ["Targets"]
    link = p["links"][0]
    assert f"link {link['id']}]" in cli(capsys, "passages", ws).stdout
    cli(capsys, "unlink", ws, link["id"])
    again = next(r for r in json.loads(cli(capsys, "passages", ws, "--json").stdout) if r["id"] == p["id"])
    assert link["id"] not in [ln["id"] for ln in again["links"]]
    assert cli(capsys, "unlink", ws, link["id"], check=False).returncode == 2  # already gone
    assert cli(capsys, "edit", ws, p["id"], "--delete", "--note", "x", check=False).returncode == 2
    assert "Deleted passage" in cli(capsys, "edit", ws, p["id"], "--delete").stdout
    assert p["id"] not in [r["id"] for r in json.loads(cli(capsys, "passages", ws, "--json").stdout)]


def test_theme_command_renames_recolours_nests_merges_and_deletes(demo_file, tmp_path, capsys):
    import shutil

    ws = tmp_path / "w.annot"
    shutil.copyfile(demo_file, ws)

    def themes_now():
        return {t["path"]: t for t in json.loads(cli(capsys, "themes", ws, "--json").stdout)}

    before = themes_now()
    out = cli(capsys, "theme", ws, "Safety", "--rename", "Patient safety", "--colour", "#AA0000").stdout
    assert "Patient safety  #AA0000  6 passages" in out
    cli(capsys, "theme", ws, "targets", "--parent", "Quality")
    assert "Quality / Targets" in themes_now()
    out = cli(capsys, "theme", ws, "Quality / Targets", "--merge-into", "Quality").stdout
    assert out.startswith("Merged Targets into Quality")
    after = themes_now()
    assert "Quality / Targets" not in after
    quality = after["Quality"]["passages"]
    assert (
        before["Targets"]["passages"]
        <= quality
        <= before["Targets"]["passages"] + before["Quality"]["passages"]
    )
    cli(capsys, "theme", ws, "Clinical leadership", "--delete")
    assert "Clinical leadership" not in themes_now()
    assert len(json.loads(cli(capsys, "passages", ws, "--json").stdout)) == 13  # passages stay
    for bad, words in (
        (("Quality",), "Say what to change"),
        (("Nope", "--delete"), "No theme"),
        (("Quality", "--colour", "red"), "not a colour"),
        (("Quality", "--to-parent"), "--to-parent goes with --delete"),
    ):
        r = cli(capsys, "theme", ws, *bad, check=False)
        assert r.returncode == 2 and words in r.stderr, (bad, r.stderr)


def test_tag_an_area_and_list_it(demo_file, tmp_path, capsys):
    import shutil

    ws = tmp_path / "w.annot"
    shutil.copyfile(demo_file, ws)
    area = ["tag", ws, "1", "--page", "2", "--theme", "Safety"]
    out = cli(capsys, *area, "--area", "420,760,560,830", "--label", "signature", "--note", "signed")
    assert out.stdout.startswith("Tagged area ") and "Day 45/2, area" in out.stdout
    listed = cli(capsys, "passages", ws, "--json")
    [a] = [p for p in json.loads(listed.stdout) if p["area"]]
    assert a["area"] == [1, 420.0, 760.0, 560.0, 830.0] and a["quote"] == "[Area on page 2: signature]"
    assert a["note"] == "signed" and a["citation"] == "Day 45/2, area"
    assert "Day 45/2, area  [Safety] [Area on page 2: signature]" in cli(capsys, "passages", ws).stdout
    bad = cli(capsys, *area, "--lines", "3", "--area", "1,1,90,90", check=False)
    assert bad.returncode != 0 and "An area goes with --page alone" in bad.stderr
    bad = cli(capsys, *area, "--area", "1,1,90", check=False)
    assert bad.returncode != 0 and "four numbers" in bad.stderr
    assert len([p for p in json.loads(cli(capsys, "passages", ws, "--json").stdout) if p["area"]]) == 1
