"""Find similar from the reader's menu, theme chips in the Passage panel, and the
background embedding with its progress entry and Cancel."""

from annotator.core.evidence import passages
from annotator.core.similar import embedding, suggest
from annotator.gui.reader import reader_actions


def _embedded(qtbot, win) -> list[str]:
    texts: list[str] = []
    win.embedding.progress.connect(lambda d, t, text: texts.append(text))
    with qtbot.waitSignal(win.embedding.idle, timeout=120_000):
        pass
    assert embedding.counts(win.ctx.ws)[0] == 0
    return texts


def test_embedding_runs_in_the_background_with_a_progress_entry(qtbot, demo_window):
    texts = _embedded(qtbot, demo_window)
    assert texts and texts[0].startswith("Embedding ") and " of " in texts[0]
    assert not demo_window.embedding_progress.isVisible()  # hidden once done


def test_cancel_stops_embedding_until_the_next_change(qtbot, demo_window):
    win = demo_window
    with qtbot.waitSignal(win.embedding.progress, timeout=30_000):
        pass
    assert win.embedding_progress.isVisible() and "Embedding" in win.embedding_progress.label.text()
    with qtbot.waitSignal(win.embedding.idle, timeout=30_000):
        win.embedding_progress.cancel.linkActivated.emit("cancel")
    qtbot.waitUntil(lambda: win.embedding.job is None, timeout=30_000)
    assert embedding.counts(win.ctx.ws)[0] > 0 and not win.embedding_progress.isVisible()


def test_find_similar_from_the_reader_menu_lists_scored_results(qtbot, demo_window):
    win = demo_window
    _embedded(qtbot, win)
    pid = passages.listed(win.ctx.ws)[0].id
    reader = win.open_document(passages.listed(win.ctx.ws, ids=[pid])[0].document_id)
    reader.model.set_current_mark(pid)
    menu = reader_actions.build_menu(reader)
    action = next(a for a in menu.actions() if a.text() == "Find similar")
    assert action.isEnabled()
    with qtbot.waitSignal(win.search.results_shown, timeout=30_000) as got:
        action.trigger()
    res = got.args[0]
    assert win.search.query() == f"like:#{pid}"
    assert res.hits and all(h.score is not None for h in res.hits)
    assert pid not in [h.id for h in res.hits if h.kind == "passage"]
    first = win.search.model.index(0, 0).data()
    assert first.startswith(f"{res.hits[0].score:.2f}  ")


def test_theme_chips_suggest_and_tag_only_when_clicked(qtbot, demo_window, monkeypatch):
    win = demo_window
    monkeypatch.setattr(suggest, "MIN_PER_THEME", 4)  # the demo tags 4 to 7 passages a theme
    monkeypatch.setattr(suggest, "MIN_TAGGED", 10)
    _embedded(qtbot, win)
    details = win.reading.details
    view = min(passages.listed(win.ctx.ws), key=lambda v: len(v.theme_ids))
    with qtbot.waitSignal(details.suggestions.shown, timeout=30_000) as got:
        details.show_passage(view.id)
    assert got.args[0].enough and details.suggestions.chips
    assert passages.listed(win.ctx.ws, ids=[view.id])[0].theme_ids == view.theme_ids  # nothing applied
    chip = details.suggestions.chips[0]
    wanted = next(t for t in got.args[0].themes if t["theme_id"] not in view.theme_ids)
    assert chip.text().startswith(f"+ {wanted['theme']} ")
    chip.click()
    after = passages.listed(win.ctx.ws, ids=[view.id])[0].theme_ids
    assert set(after) == set(view.theme_ids) | {wanted["theme_id"]}


def test_with_too_few_tagged_the_panel_says_so(qtbot, demo_window):
    win = demo_window
    _embedded(qtbot, win)
    details = win.reading.details
    with qtbot.waitSignal(details.suggestions.shown, timeout=30_000) as got:
        details.show_passage(passages.listed(win.ctx.ws)[0].id)
    assert not got.args[0].enough and not details.suggestions.chips
    assert "Too few tagged passages" in details.suggestions.message.text()
