"""The tooltip shown when the mouse rests on highlighted passages."""

from PySide6.QtWidgets import QToolTip


def show_marks_tip(viewport, marks, event) -> None:
    """Themes and note of each passage under the mouse, or no tooltip."""
    if not marks:
        QToolTip.hideText()
        return
    tip = "\n".join(
        f"{', '.join(m.themes) or '(no theme)'}" + (f" — {m.note}" if m.note else "") for m in marks
    )
    QToolTip.showText(event.globalPosition().toPoint(), tip, viewport)
