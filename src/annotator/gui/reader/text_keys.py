"""The text view's caret: moves by character, word, line, row and page, with
or without Shift to select; whole lines with Shift+Down from a line's start.

A caret is a place (page, char) like a selection's ends; rows come from the
view's RowMap, so Up and Down follow wrapped rows.
"""

import re

from PySide6.QtCore import Qt

_WORD = re.compile(r"\S+")

# (name, what it does, keys): Go > Caret and Edit > Extend selection list them, and so
# does Help > Keyboard shortcuts
MOVES = [
    ("left", "Caret left a character", "Left"),
    ("right", "Caret right a character", "Right"),
    ("word_left", "Caret left a word", "Ctrl+Left"),
    ("word_right", "Caret right a word", "Ctrl+Right"),
    ("home", "Caret to the line's start", "Home"),
    ("end", "Caret to the line's end", "End"),
    ("up", "Caret up a row", "Up"),
    ("down", "Caret down a row (from a line's start: a whole line)", "Down"),
    ("page_up", "Page up", "PgUp"),
    ("page_down", "Page down", "PgDown"),
    ("doc_start", "Start of the document", "Ctrl+Home"),
    ("doc_end", "End of the document", "Ctrl+End"),
]
EXTENDS = [
    ("left", "Extend left a character", "Shift+Left"),
    ("right", "Extend right a character", "Shift+Right"),
    ("word_left", "Extend left a word", "Ctrl+Shift+Left"),
    ("word_right", "Extend right a word", "Ctrl+Shift+Right"),
    ("home", "Extend to the line's start", "Shift+Home"),
    ("end", "Extend to the line's end", "Shift+End"),
    ("up", "Extend up a row", "Shift+Up"),
    ("down", "Extend down a row (from a line's start: whole lines)", "Shift+Down"),
]

_KEYS = {
    (Qt.Key.Key_Left, False): "left",
    (Qt.Key.Key_Right, False): "right",
    (Qt.Key.Key_Left, True): "word_left",
    (Qt.Key.Key_Right, True): "word_right",
    (Qt.Key.Key_Home, False): "home",
    (Qt.Key.Key_End, False): "end",
    (Qt.Key.Key_Up, False): "up",
    (Qt.Key.Key_Down, False): "down",
    (Qt.Key.Key_PageUp, False): "page_up",
    (Qt.Key.Key_PageDown, False): "page_down",
    (Qt.Key.Key_Home, True): "doc_start",
    (Qt.Key.Key_End, True): "doc_end",
}


def move_for(event) -> tuple[str, bool] | None:
    """(move name, extend selection) for a key press, or None."""
    mods = event.modifiers()
    name = _KEYS.get((event.key(), bool(mods & Qt.KeyboardModifier.ControlModifier)))
    return (name, bool(mods & Qt.KeyboardModifier.ShiftModifier)) if name else None


class Caret:
    def __init__(self, view):
        self.view = view
        self.rowmap = view.rowmap
        self.model = view.model

    # ---- places ------------------------------------------------------
    def locate(self, pos) -> tuple[int, int, int] | None:
        """(item, line index, column) of a place; header lines give the next shown line."""
        got = self.rowmap.row_of(pos)
        if got is None:
            return None
        (item, _sub), k = got
        ln = self.model.lines[k]
        col = pos[1] - ln.start if ln.page == pos[0] else 0
        return item, k, max(0, min(len(ln.text), col))

    def pos(self, k: int, col: int) -> tuple[int, int]:
        ln = self.model.lines[k]
        return (ln.page, ln.start + max(0, min(len(ln.text), col)))

    def _line_item(self, item: int, step: int) -> int | None:
        """The next (step 1) or previous (step -1) line that is shown."""
        return self.rowmap.shown_line(item + step, step)

    # ---- moves -------------------------------------------------------
    def move(self, name: str, at, anchor, extend: bool):
        """The caret's new place after a move from `at` (None: no move)."""
        where = self.locate(at)
        if where is None:
            return None
        item, k, col = where
        text = self.model.lines[k].text
        if name in ("up", "down") and extend and anchor is not None:
            whole = self._whole_lines(name, item, k, col, at, anchor)
            if whole is not None:
                return whole
        if name == "right":
            if col < len(text):
                return self.pos(k, col + 1)
            nxt = self._line_item(item, 1)
            return self.pos(nxt, 0) if nxt is not None else None
        if name == "left":
            if col > 0:
                return self.pos(k, col - 1)
            prev = self._line_item(item, -1)
            if prev is None:
                return None
            pk = prev
            return self.pos(pk, len(self.model.lines[pk].text))
        if name == "word_right":
            m = _WORD.search(text, col)
            if m and m.end() > col:
                return self.pos(k, m.end())
            return self.move("right", at, anchor, extend)
        if name == "word_left":
            starts = [m.start() for m in _WORD.finditer(text) if m.start() < col]
            if starts:
                return self.pos(k, starts[-1])
            return self.pos(k, 0) if col > 0 else self.move("left", at, anchor, extend)
        if name == "home":
            return self.pos(k, 0)
        if name == "end":
            return self.pos(k, len(text))
        if name in ("up", "down", "page_up", "page_down"):
            rows = {"up": -1, "down": 1}.get(name) or self.view.page_rows() * (-1 if name == "page_up" else 1)
            return self._rows(item, k, col, rows)
        if name == "doc_start":
            first = self._line_item(-1, 1)
            return self.pos(first, 0) if first is not None else None
        if name == "doc_end":
            last = self._line_item(len(self.rowmap), -1)
            if last is None:
                return None
            lk = last
            return self.pos(lk, len(self.model.lines[lk].text))
        return None

    def _rows(self, item: int, k: int, col: int, n: int):
        """n rows down (or up), keeping the caret's distance from the row's start."""
        sub = self.rowmap.sub_of(item, col)
        c0, _c1 = self.rowmap.span(item, sub)
        goal = self.view.goal_col if self.view.goal_col is not None else col - c0
        self.view.goal_col = goal
        step = 1 if n > 0 else -1
        row = self.rowmap.step((item, sub), n)
        while self.rowmap.head_row(row) is not None:  # a page heading holds no caret
            nxt = self.rowmap.step(row, step)
            if nxt == row:
                nxt = self.rowmap.step(row, -step)
                if nxt == row:
                    return None
            row = nxt
        t_item, t_sub = row
        t0, t1 = self.rowmap.span(t_item, t_sub)
        last = self.rowmap.is_last(row)
        t_col = min(t0 + goal, t1 if last else max(t0, t1 - 1))
        return self.pos(t_item, t_col)

    def _whole_lines(self, name: str, item: int, k: int, col: int, at, anchor):
        """Shift+Down from a line's start selects whole lines (Shift+Up takes them back)."""
        a = self.locate(anchor)
        if a is None or a[2] != 0 or at < anchor:
            return None
        length = len(self.model.lines[k].text)
        if col not in (0, length):
            return None
        if name == "down":
            if col == 0 and length and at >= anchor:
                return self.pos(k, length)
            nxt = self._line_item(item, 1)
            if nxt is None:
                return None
            nk = nxt
            return self.pos(nk, len(self.model.lines[nk].text))
        if at == anchor:
            return None
        prev = self._line_item(item, -1)
        if prev is None:
            return anchor
        pk = prev
        end = self.pos(pk, len(self.model.lines[pk].text))
        return end if end > anchor else anchor
