"""Who sees a passage and its note on a team workspace: only me, my team, everyone.

Shown in the passage details of team replicas only; the server enforces the choice
(row-level security), and only the passage's owner may change it there.
"""

from PySide6.QtWidgets import QComboBox, QSizePolicy

from annotator.gui.errors import show_error
from annotator.gui.team import backend

CHOICES = (("me", "Seen by: only me"), ("team", "Seen by: my team"), ("workspace", "Seen by: everyone"))


class AudienceBox(QComboBox):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.pid: int | None = None
        self._filling = False
        for key, label in CHOICES:
            self.addItem(label, key)
        self.setToolTip(
            "Who on the team server may read this passage and its note: only you, the teams you are in, "
            "or everyone on the workspace. Only the passage's author can change it."
        )
        self.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
        self.currentIndexChanged.connect(self._chosen)
        self.hide()

    def show_passage(self, pid: int | None) -> None:
        ws = self.ctx.ws
        self.pid = pid
        team = ws is not None and pid is not None and backend.is_team(ws)
        self.setVisible(team)
        if not team:
            return
        self._filling = True
        try:
            self.setCurrentIndex(max(self.findData(backend.audience_of(ws, pid)), 0))
        finally:
            self._filling = False

    def _chosen(self, _index: int) -> None:
        if self._filling or self.pid is None:
            return
        try:
            self.ctx.run(backend.set_audience, self.pid, self.currentData())
        except Exception as err:
            show_error(self, err)
