"""Undo/redo over core operations: each Change carries its own inverse."""

from PySide6.QtGui import QUndoCommand


class OpCommand(QUndoCommand):
    def __init__(self, ctx, op, args, kwargs):
        super().__init__()
        self.ctx = ctx
        self._first = (op, args, kwargs)
        self.change = None
        self._inverse = None
        self.error: Exception | None = None

    def redo(self) -> None:
        if self.error is not None:
            return
        try:
            if self._first is not None:
                op, args, kwargs = self._first
                self._first = None
                self.change = op(self.ctx.ws, *args, **kwargs)
                self.setText(self.change.summary)
            else:
                self.change = self._inverse(self.ctx.ws)
        except Exception as err:
            self.error = err
            self.setObsolete(True)
            return
        self._inverse = self.change.inverse
        self.ctx.announce(self.change)

    def undo(self) -> None:
        if self.error is not None or self._inverse is None:
            return
        back = self._inverse(self.ctx.ws)
        self._inverse = back.inverse
        self.ctx.announce(back)
