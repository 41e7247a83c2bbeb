"""Build the demo workspace from seeds/: a hearing day and a press report, tagged."""

import json
import os
import sys
import tempfile
from pathlib import Path

from annotator.core.evidence import anchors, tagging, themes

from annotator.core import samples
from annotator.core.ingest import import_file
from annotator.core.store.workspace import Workspace
from annotator.core.store.models import saved_id


def seeds_dir() -> Path:
    here = Path(__file__).resolve()
    frozen = getattr(sys, "_MEIPASS", None)  # the packaged application's own folder
    for base in [Path(frozen)] if frozen else [here.parents[3], Path.cwd()]:
        if (base / "seeds" / "day-45-script.json").exists():
            return base / "seeds"
    raise FileNotFoundError("The seeds/ folder was not found beside the source tree.")


def default_path() -> str:
    """Where `annotator --demo` keeps its demo workspace (the user's data folder)."""
    from annotator.core.store.backups import data_dir

    folder = data_dir()
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "demo.annot")


def build(path: str, seeds: Path | None = None) -> Workspace:
    seeds = seeds or seeds_dir()
    script = json.loads((seeds / "day-45-script.json").read_text(encoding="utf-8"))
    ws = Workspace.create(path, title="Mid Staffs demo", inquiry="Mid Staffordshire NHS FT Public Inquiry")
    try:
        ws.set("author", "Demo counsel")
        lines = samples.layout(script["turns"], script["day"], script["witness"], script["counsel"])
        with tempfile.TemporaryDirectory() as tmp:
            pdf_path = os.path.join(tmp, f"Day {script['day']} - {script['date']}.pdf")
            with open(pdf_path, "wb") as fh:
                fh.write(samples.to_pdf(lines, script["inquiry"], script["date"]))
            t = import_file(
                ws,
                pdf_path,
                kind="transcript",
                witness=script["witness"],
                title=f"Day {script['day']} transcript (illustrative)",
            )
        r = import_file(
            ws,
            str(seeds / "keogh-evidence-report.txt"),
            kind="report",
            urn="MSF0000045",
            title="Press report of Sir Bruce Keogh's evidence",
        )
        doc_ids: list[int] = []
        for res in (t, r):
            if res.status != "imported" or res.document_id is None:
                raise RuntimeError(f"demo import failed: {res.path}: {res.reason}")
            doc_ids.append(res.document_id)
        ids = []
        for doc_id, key in zip(doc_ids, ("tags", "report_tags"), strict=True):
            for spec in script[key]:
                with ws.session() as s:
                    anchor = anchors.from_quote(s, doc_id, spec["quote"])
                    tids = [saved_id(themes.find(s, name)) for name in spec["themes"]]
                ids.append(tagging.tag(ws, doc_id, anchor, tids, spec["note"]).result)
        for a, b, rel in script["links"]:
            tagging.link(ws, ids[a], ids[b], rel)
        with ws.write("demo dates", {}) as s:
            from annotator.core.store.models import Document

            d = s.get(Document, t.document_id)
            assert d is not None
            d.date = script["date"]
            s.add(d)
        return ws
    except Exception:
        ws.close()
        os.unlink(path)
        raise
