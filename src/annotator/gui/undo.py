"""Undo/redo over core commands: each Change carries the Command that made it
(core.changes), which undoes and redoes it from its own undo data."""

from PySide6.QtGui import QUndoCommand


class OpCommand(QUndoCommand):
    def __init__(self, ctx, op, args, kwargs):
        super().__init__()
        self.ctx = ctx
        self._first = (op, args, kwargs)
        self.change = None
        self.command = None
        self.error: Exception | None = None

    def redo(self) -> None:
        if self.error is not None:
            return
        try:
            if self._first is not None:
                op, args, kwargs = self._first
                self._first = None
                self.change = op.do(self.ctx.ws) if hasattr(op, "do") else op(self.ctx.ws, *args, **kwargs)
                self.command = self.change.command
                self.setText(self.change.summary)
                change = self.change
            else:
                change = self.command.redo(self.ctx.ws)
        except Exception as err:
            first = self.change is None
            self.error = err
            self.setObsolete(True)  # the stack drops it: it no longer matches the workspace
            if not first:  # ctx.run reports a first run's error to its caller
                self.ctx.failed.emit(err)
            return
        self.ctx.announce(change)

    def undo(self) -> None:
        if self.error is not None or self.command is None:
            return
        try:
            change = self.command.undo(self.ctx.ws)
        except Exception as err:  # nothing was written (one transaction): say so, drop the step
            self.error = err
            self.setObsolete(True)
            self.ctx.failed.emit(err)
            return
        self.ctx.announce(change)
