"""annotator replace / versions / place, as a user runs them."""

import json

from helpers import run_cli
from versions_pairs import script_pair


def test_replace_prints_the_report_lists_versions_and_an_orphan_is_placed_by_hand(ws, tmp_path):
    doc_id, pids, _link, path, _ = script_pair(ws, tmp_path)
    ws_path = ws.path
    ws.close()
    report = json.loads(run_cli("replace", ws_path, doc_id, path, "--json").stdout)
    assert report["counts"]["orphaned"] == 1 and report["counts"]["changed"] == 1
    assert sum(report["counts"].values()) == 3
    orphan = next(e for e in report["passages"] if e["status"] == "orphaned")
    assert orphan["passage"] == pids[0] and orphan["old_citation"].startswith("Day 3/")
    assert orphan["candidate"]["quote"].startswith("Mrs Smith")
    listed = json.loads(run_cli("passages", ws_path, "--json").stdout)
    anchors = {p["id"]: p["anchor"] for p in listed}
    assert anchors[pids[0]] == "orphaned" and anchors[pids[1]] == "changed"
    assert "[inaudible]" in next(p for p in listed if p["id"] == pids[1])["old_quote"]
    versions = json.loads(run_cli("versions", ws_path, doc_id, "--json").stdout)
    assert [v["number"] for v in versions] == [1, 2] and versions[1]["filename"] == "final.txt"
    assert versions[1]["report"]["counts"] == report["counts"]
    text = run_cli("versions", ws_path, doc_id).stdout
    assert "draft.txt" in text and "final.txt" in text and "orphaned" in text
    placed = json.loads(run_cli("place", ws_path, pids[0], "--candidate", "--json").stdout)
    assert placed["anchor"] == "moved" and placed["quote"].startswith("Mrs Smith")
    bad = run_cli("place", ws_path, pids[2], "--from", "1:1", check=False)
    assert bad.returncode == 2 and "--from and --to go together" in bad.stderr
    same = run_cli("replace", ws_path, doc_id, path, check=False)
    assert same.returncode == 2 and "already the current version" in same.stderr
    plain = run_cli("passages", ws_path).stdout
    assert "changed in the new version" in plain
