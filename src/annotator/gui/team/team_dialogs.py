"""File > Team: publish this workspace to a team server, or join a team workspace.

Both ask for the server's address (postgresql://user@host/database) and a password,
then do the work in the background under a progress dialog with Cancel.
"""

import os

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.team import backend

URL_HINT = "postgresql://you@server.example.org/inquiry"


class _ServerForm(QDialog):
    """Address, user and password of a team server; OK only once they make sense."""

    def __init__(self, title: str, intro: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setPlaceholderText(URL_HINT)
        self.user = QLineEdit()
        self.user.setPlaceholderText("taken from the address when left empty")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("or from ~/.pgpass")
        self.form = QFormLayout()
        self.form.addRow("Server address:", self.url)
        self.form.addRow("Your user name:", self.user)
        self.form.addRow("Password:", self.password)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B3261E;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(self.intro)
        col.addLayout(self.form)
        col.addWidget(self.problem)
        col.addWidget(self.buttons)
        for edit in (self.url, self.user, self.password):
            edit.textChanged.connect(lambda _t: self.problem.clear())

    def server(self) -> backend.Server:
        return backend.Server(self.url.text().strip(), self.user.text().strip(), self.password.text())

    def check(self) -> str:
        """A sentence saying what is wrong with the form, or ""."""
        return backend.check_url(self.url.text().strip())

    def _accept(self) -> None:
        problem = self.check()
        if problem:
            self.problem.setText(problem)
            return
        self.accept()


class PublishDialog(_ServerForm):
    def __init__(self, title: str, parent=None):
        super().__init__(
            "Publish to a team server",
            f"Put “{title}” — its documents, passages, themes, notes and links — on a PostgreSQL "
            "server your team can reach. This workspace becomes a replica of it: you keep working "
            "here offline, and Sync exchanges changes with everyone else.",
            parent,
        )
        self.buttons.button(QDialogButtonBox.Ok).setText("Publish")


class JoinDialog(_ServerForm):
    def __init__(self, start_dir: str, parent=None):
        super().__init__(
            "Join a team workspace",
            "Make a replica of a team workspace on this computer. You work on it offline as on any "
            "workspace; Sync sends your changes and fetches everyone else's.",
            parent,
        )
        self.path = QLineEdit()
        self.path.setPlaceholderText(os.path.join(start_dir, "team.annot"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        self.form.addRow("Save the replica as:", row)
        self.path.textChanged.connect(lambda _t: self.problem.clear())
        self.buttons.button(QDialogButtonBox.Ok).setText("Join")
        self._start_dir = start_dir

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the replica as", self._start_dir, "Annotator workspace (*.annot)"
        )
        if path:
            self.path.setText(path)

    def target(self) -> str:
        path = self.path.text().strip() or self.path.placeholderText()
        return path if path.endswith(".annot") else path + ".annot"

    def check(self) -> str:
        problem = super().check()
        if problem:
            return problem
        path = self.target()
        if os.path.exists(path):
            return f"{os.path.basename(path)} already exists: choose another name."
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            return f"The folder {os.path.dirname(path)} does not exist."
        return ""
