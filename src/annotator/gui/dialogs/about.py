"""Help > About: version, licence, and every bundled component with its licence."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator import APP_NAME, LICENCE, __version__
from annotator.core.util import licences, resources

INTRO = (
    f"<b>{APP_NAME} {__version__}</b><br>Evidence annotation for counsel at public inquiries."
    f"<br><br>{APP_NAME} is free software under the GNU Affero General Public License "
    f"({LICENCE}); you may have its complete source code (see SOURCE-OFFER.txt in the "
    "application's folder). Qt is used under the GNU Lesser General Public License "
    "(see NOTICE-Qt.txt). It works offline and sends nothing anywhere."
    "<br><br>Components:"
)


class AboutDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(intro)
        items = licences.components(resources.path(licences.FROZEN_LIST).parent)
        self.table = QTableWidget(len(items), 3)
        self.table.setAccessibleName("Bundled components and their licences")
        self.table.setHorizontalHeaderLabels(["Component", "Version", "Licence"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        for row, comp in enumerate(items):
            for col, text in enumerate((comp.name, comp.version, comp.licence)):
                cell = QTableWidgetItem(text)
                if comp.note:
                    cell.setToolTip(comp.note)
                self.table.setItem(row, col, cell)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)
