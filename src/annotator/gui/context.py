"""AppContext: what every widget needs, passed in rather than global."""

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.evidence.changes import Change
from annotator.core.store.workspace import Workspace
from annotator.gui.tasks import TaskManager


class AppContext(QObject):
    """Holds the open workspace, the undo stack and the task manager; announces changes."""

    workspace_changed = Signal()  # a different workspace was opened (or closed)
    workspace_closing = Signal()  # the open one is about to close: stop reading it
    changed = Signal(object)  # a Change from a core operation
    failed = Signal(object)  # an undo or redo that could not be saved (the error)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.undo = QUndoStack(self)
        self.tasks = TaskManager(self)  # every background job of the window goes through it
        self.settings = QSettings("Annotator", "Annotator")

    def set_workspace(self, ws: Workspace | None) -> None:
        if self.ws is not None:
            self.workspace_closing.emit()
            self.tasks.drain()  # nothing may still be reading or writing the file it closes
            self.ws.close()
        self.ws = ws
        self.undo.clear()
        if ws is not None:
            recent = [p for p in (self.settings.value("recent", []) or []) if p != ws.path]
            self.settings.setValue("recent", [ws.path] + recent[:9])
        self.workspace_changed.emit()

    def shutdown(self) -> None:
        """The app quits: close the workspace, then stop the task manager's threads."""
        self.set_workspace(None)
        self.tasks.shutdown()

    def recent(self) -> list[str]:
        value = self.settings.value("recent", []) or []
        return [value] if isinstance(value, str) else list(value)

    def forget_recent(self, path: str) -> None:
        self.settings.setValue("recent", [p for p in self.recent() if p != path])

    def run(self, op, *args, **kwargs) -> Change:
        """Run a core operation (a function returning a Change, or a Command) as
        an undoable step and announce its change."""
        from annotator.gui.undo import OpCommand

        cmd = OpCommand(self, op, args, kwargs)
        self.undo.push(cmd)  # push() calls redo(), which runs the op
        if cmd.error is not None:  # an obsolete command is dropped by push()
            raise cmd.error
        return cmd.change

    def announce(self, change: Change) -> None:
        self.changed.emit(change)
