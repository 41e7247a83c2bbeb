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
    out = run_cli("tag", ws, "1", "--page", "3", "--lines", "2-4", "--theme", "Safety", "--note", "NRLS", "--json")
    a = json.loads(out.stdout)
    assert a["citation"] == "Day 45, 3:2-4" and a["themes"] == ["Safety"] and a["note"] == "NRLS"
    b = json.loads(cli(capsys, "tag", ws, "1", "--from", "2:3", "--to", "2:4", "--theme", "Targets",
                           "--theme", "quality", "--json").stdout)
    assert b["citation"] == "Day 45, 2:3-4" and b["themes"] == ["Targets", "Quality"]
    c = json.loads(cli(capsys, "tag", ws, "MSF0000045", "--quote", "Sir Bruce Keogh", "--theme", "4",
                           "--json").stdout)
    assert c["citation"].startswith("{MSF0000045/") and "Sir Bruce Keogh" in c["quote"]
    cli(capsys, "link", ws, a["id"], b["id"], "--relation", "Contradicts")
    rows = json.loads(cli(capsys, "passages", ws, "--json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert {"id", "document", "citation", "quote", "themes", "note", "links"} <= set(by_id[a["id"]])
    assert by_id[a["id"]]["links"] == [{"id": by_id[a["id"]]["links"][0]["id"], "relation": "contradicts",
                                       "to": b["id"], "direction": "out"}]
    assert by_id[b["id"]]["links"][0]["direction"] == "in"
    safety = json.loads(cli(capsys, "passages", ws, "--theme", "Safety", "--json").stdout)
    assert a["id"] in [r["id"] for r in safety] and b["id"] not in [r["id"] for r in safety]
    assert "Day 45, 3:2-4" in cli(capsys, "passages", ws).stdout


def test_bad_tag_input_is_one_sentence_and_changes_nothing(demo_file, tmp_path, capsys):
    import shutil

    ws = tmp_path / "w.annot"
    shutil.copyfile(demo_file, ws)
    before = cli(capsys, "passages", ws, "--json").stdout
    for args in (["--quote", "words that are not there", "--theme", "Safety"],
                 ["--page", "3", "--lines", "30-31", "--theme", "Safety"],
                 ["--page", "3", "--lines", "2", "--theme", "No such theme"],
                 ["--page", "3", "--theme", "Safety"],
                 ["--from", "2", "--to", "3:1", "--theme", "Safety"]):
        proc = cli(capsys, "tag", ws, "1", *args, check=False)
        assert proc.returncode == 2, args
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert cli(capsys, "link", ws, "1", "1", check=False).returncode == 2
    assert cli(capsys, "passages", ws, "--json").stdout == before
