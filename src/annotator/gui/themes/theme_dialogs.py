"""Small dialogs of the themes panel: where passages go when a theme is deleted, merge target."""

from PySide6.QtWidgets import QInputDialog, QMessageBox

from annotator.core.evidence import themes

PALETTE = [
    "#E0A100",
    "#2E7D32",
    "#C62828",
    "#1565C0",
    "#6A1B9A",
    "#00838F",
    "#EF6C00",
    "#AD1457",
    "#558B2F",
    "#4E342E",
    "#283593",
    "#00695C",
]


def next_colour(n: int) -> str:
    return PALETTE[n % len(PALETTE)]


def ask_delete(parent, ctx, tid: int) -> str | None:
    """'untag', 'parent' or None (cancel). Says how many passages are affected; nothing goes silently."""
    name, n, parent_name = themes.deletion_facts(ctx.ws, tid)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Question)
    box.setWindowTitle("Delete theme")
    text = f"Delete the theme '{name}'?"
    if n:
        text += (
            f"\n\n{n} passage{'s' if n != 1 else ''} carry it. The passages themselves are kept; "
            f"choose what happens to this theme on them. Undo (Ctrl+Z) brings everything back."
        )
    box.setText(text)
    untag = box.addButton("Remove the theme from them" if n else "Delete", QMessageBox.DestructiveRole)
    move = None
    if n and parent_name:
        move = box.addButton(f"Give them '{parent_name}' instead", QMessageBox.AcceptRole)
    box.addButton(QMessageBox.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is untag:
        return "untag"
    if move is not None and clicked is move:
        return "parent"
    return None


def choose_merge_target(parent, ctx, tid: int) -> int | None:
    source = themes.name_of(ctx.ws, tid)
    options = [(name, other) for other, name, _key in themes.named(ctx.ws, exclude=tid)]
    if not options:
        return None
    label, ok = QInputDialog.getItem(
        parent, "Merge themes", f"Move every passage of '{source}' into:", [o[0] for o in options], 0, False
    )
    if not ok:
        return None
    return dict(options)[label]
