"""File > Team > Users and teams: who may join the team workspace, and who shares a team
(their "my team" passages). The owner's login does it, with the same core calls as
`annotator team users add|team|list`; each call runs on the task manager, never here."""

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.util.errors import AnnotatorError
from annotator.gui.team import backend
from annotator.gui.team.team_dialogs import URL_HINT


class UsersDialog(QDialog):
    def __init__(self, tasks, url: str = "", user: str = "", parent=None):
        super().__init__(parent)
        self.tasks = tasks
        self.setWindowTitle("Users and teams")
        self.setMinimumSize(620, 520)
        intro = QLabel(
            "The people who may join this team workspace, and their teams: a passage seen by "
            "“my team” is read by everyone who shares a team with its author. Only the login "
            "that published the workspace can change them."
        )
        intro.setWordWrap(True)
        self.url, self.user, self.password = QLineEdit(url), QLineEdit(user), QLineEdit()
        self.url.setPlaceholderText(URL_HINT)
        self.user.setPlaceholderText("taken from the address when left empty")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("or from ~/.pgpass")
        self.load_button = QPushButton("&Show users")
        self.load_button.clicked.connect(self.load)
        form = QFormLayout()
        form.addRow("Server address:", self.url)
        form.addRow("Owner's login:", self.user)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.load_button)
        form.addRow("Password:", row)

        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["User", "Teams"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        add_box = QGroupBox("New user")
        self.new_name, self.new_password = QLineEdit(), QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_name.setPlaceholderText("login name, e.g. jsmith")
        self.add_button = QPushButton("&Add user")
        self.add_button.clicked.connect(self.add_user)
        line = QHBoxLayout(add_box)
        line.addWidget(QLabel("Name:"))
        line.addWidget(self.new_name, 1)
        line.addWidget(QLabel("Password:"))
        line.addWidget(self.new_password, 1)
        line.addWidget(self.add_button)

        team_box = QGroupBox("Team")
        self.team = QComboBox()
        self.team.setEditable(True)
        self.team.setPlaceholderText("a team's name, new or existing")
        self.team_button = QPushButton("&Put the selected users in this team")
        self.team_button.clicked.connect(self.add_to_team)
        line = QHBoxLayout(team_box)
        line.addWidget(self.team, 1)
        line.addWidget(self.team_button)

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B3261E;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addLayout(form)
        col.addWidget(self.table, 1)
        col.addWidget(add_box)
        col.addWidget(team_box)
        col.addWidget(self.problem)
        col.addWidget(buttons)
        self.busy = False

    # ---- the calls, each in the background -------------------------------------------------
    def _server(self) -> backend.Server | None:
        problem = backend.check_url(self.url.text().strip())
        if problem:
            self.problem.setText(problem)
            return None
        return backend.Server(self.url.text().strip(), self.user.text().strip(), self.password.text())

    def _run(self, title: str, fn) -> None:
        server = self._server()
        if server is None or self.busy:
            return
        self.busy = True
        self.problem.setText(f"{title}…")
        for w in (self.load_button, self.add_button, self.team_button):
            w.setEnabled(False)
        job = self.tasks.submit("read", lambda _job: fn(server), title)
        job.finished.connect(self._show)
        job.failed.connect(self._failed)

    def load(self) -> None:
        self._run("Reading the users", backend.team_users)

    def add_user(self) -> None:
        name, pw = self.new_name.text().strip(), self.new_password.text()
        if not name or not pw:
            self.problem.setText("A new user needs a name and a password.")
            return
        self._run(f"Adding {name}", lambda server: backend.add_user(server, name, pw))

    def add_to_team(self) -> None:
        team = self.team.currentText().strip()
        names = sorted({self._user(i.row()) for i in self.table.selectedIndexes()})
        if not team or not names:
            self.problem.setText("Choose users in the list and name a team.")
            return
        self._run(f"Putting {len(names)} in {team}", lambda server: backend.add_to_team(server, team, names))

    def _idle(self) -> None:
        self.busy = False
        for w in (self.load_button, self.add_button, self.team_button):
            w.setEnabled(True)

    def _show(self, rows: list) -> None:
        self._idle()
        self.problem.clear()
        self.new_name.clear()
        self.new_password.clear()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(r["user"]))
            self.table.setItem(i, 1, QTableWidgetItem(", ".join(r["teams"]) or "—"))
        teams = sorted({t for r in rows for t in r["teams"]})
        typed = self.team.currentText()
        self.team.clear()
        self.team.addItems(teams)
        self.team.setCurrentText(typed)

    def _failed(self, err: BaseException) -> None:
        self._idle()
        self.problem.setText(str(err) if isinstance(err, AnnotatorError) else f"Failed: {err}")

    def rows(self) -> dict[str, str]:
        """User -> teams as shown (for tests and screen readers alike)."""
        return {self._user(i): self._cell(i, 1) for i in range(self.table.rowCount())}

    def _cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item is not None else ""

    def _user(self, row: int) -> str:
        return self._cell(row, 0)
