"""Help > About lists every bundled component with its licence."""

from annotator.gui.dialogs.about import AboutDialog


def test_about_lists_components_and_licences(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())
    }
    assert rows["Qt"].startswith("LGPL")
    assert rows["MuPDF"].startswith("AGPL")
    assert rows["annotator"] == "AGPL-3.0-or-later"
    assert all(lic and lic != "unknown" for lic in rows.values())
