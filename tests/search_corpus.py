"""A small generated corpus for the search tests: two hearing days and a report."""

from annotator.core.evidence import anchors, tagging, themes

from annotator.core import samples
from annotator.core.ingest import import_file

DAY45 = [
    ["@heading", "Questions by MR KARK"],
    ["Q", "Were the A&E targets discussed at board level?"],
    ["A", "Targets were a standing item. The café by the entrance was closed that winter."],
    ["Q", "Did the Healthcare Commission tell you about the surgical unit?"],
    ["A", "The Healthcare Commission did not tell me how bad things were in the surgical unit."],
    ["Q", "Was mortality discussed by the board?"],
    ["A", "Mortality figures were high, and the naïve view was that coding explained it."],
]
DAY46 = [
    ["@heading", "Questions by MS LANGDALE"],
    ["Q", "Did the surgeons raise concerns about staffing?"],
    ["A", "Two surgeons wrote to the medical director about staffing on ward eleven."],
    ["Q", "Was the budget a target in itself?"],
    ["A", "The budget was treated as a hard target by the finance committee."],
]
REPORT = """Report on surgical outcomes MSF0000123

The review found that commission inspectors visited the surgical wards twice.
Staffing levels on ward eleven were below the agreed minimum for most of the year.
The trust board did not discuss mortality alerts until late in the year.
"""


def build(ws, tmp) -> dict:
    ws.set("author", "Jane Counsel")
    ids = {}
    for day, turns, witness in ((45, DAY45, "Sir Bruce Keogh"), (46, DAY46, "Dr Helen Moss")):
        lines = samples.layout(turns, day, witness, "MR KARK")
        path = tmp / f"day{day}.txt"
        path.write_text(samples.to_text(lines, "Test Inquiry", "2011-03-0" + str(day - 40)), encoding="utf-8")
        res = import_file(ws, str(path), kind="transcript", witness=witness, day=day)
        assert res.status == "imported", res.reason
        ids[day] = res.document_id
    path = tmp / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    res = import_file(ws, str(path), kind="report", urn="MSF0000123", title="Surgical outcomes review")
    assert res.status == "imported", res.reason
    ids["report"] = res.document_id
    with ws.session() as s:
        a = anchors.from_quote(s, ids[45], "Targets were a standing item")
        b = anchors.from_quote(s, ids["report"], "Staffing levels on ward eleven")
        t_targets = themes.find(s, "Targets").id
        t_safety = themes.find(s, "Safety").id
    ids["p_targets"] = tagging.tag(ws, ids[45], a, [t_targets], "A culture of targets").result
    ids["p_staffing"] = tagging.tag(ws, ids["report"], b, [t_safety], "Understaffing").result
    return ids
