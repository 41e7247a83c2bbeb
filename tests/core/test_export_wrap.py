"""Word wrap of the bundle's text: every line fits, nothing is lost, and it is greedy."""

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.export.layout import fit, text_width, wrap

WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzWM’é", min_size=1, max_size=14), min_size=0, max_size=60
)


@settings(max_examples=200, deadline=None)
@given(
    WORDS,
    st.sampled_from(["sans", "serif", "mono", "bold"]),
    st.floats(40, 480),
    st.sampled_from([" ", "  ", "\t"]),
)
def test_lines_fit_keep_every_word_and_are_greedy(words, key, width, gap):
    size = 10.0
    lines = wrap(gap.join(words), key, size, width)
    fits = all(text_width(w, key, size) <= width for w in words)
    for ln in lines:
        assert text_width(ln, key, size) <= width + 1e-6 or len(ln) == 1
    if fits:
        assert " ".join(lines).split() == words
        for ln, nxt in zip(lines, lines[1:], strict=False):  # the next line's first word did not fit here
            assert text_width(f"{ln} {nxt.split()[0]}", key, size) > width
    else:
        assert "".join(lines).replace(" ", "") == "".join(words)


def test_paragraphs_and_blank_lines_are_kept():
    assert wrap("one\n\ntwo three", "sans", 10, 500) == ["one", "", "two three"]
    assert wrap("", "sans", 10, 100) == [""]


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdefghij WM’é", max_size=80), st.sampled_from(["sans", "serif"]), st.floats(5, 300)
)
def test_fit_keeps_the_longest_prefix_that_fits_with_an_ellipsis(text, key, width):
    size = 9.0
    whole = " ".join(text.split())
    if text_width(whole, key, size) <= width:
        assert fit(text, key, size, width) == whole
        return
    keep = max(k for k in range(len(whole) + 1) if k == 0 or text_width(whole[:k] + "…", key, size) <= width)
    assert fit(text, key, size, width) == whole[:keep].rstrip() + "…"


def test_printable_ascii_glyphs_stay_within_the_bounds_fit_relies_on():
    # fit() skips measuring ASCII texts shorter than width / (size * WIDEST), and
    # measures only the first width / (size * NARROWEST) characters of long ones
    from annotator.core.export.layout import FONT_NAMES, NARROWEST, WIDEST

    for key in FONT_NAMES:
        widths = [text_width(chr(c), key, 1.0) for c in range(32, 127)]
        assert NARROWEST <= min(widths) and max(widths) <= WIDEST


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet="il.' WMmw", min_size=100, max_size=900),
    st.sampled_from(["sans", "serif", "mono"]),
    st.floats(20, 200),
)
def test_fit_cuts_long_texts_as_if_measured_whole(text, key, width):
    size = 8.0
    whole = " ".join(text.split())
    keep = max(k for k in range(len(whole) + 1) if k == 0 or text_width(whole[:k] + "…", key, size) <= width)
    expected = whole if text_width(whole, key, size) <= width else whole[:keep].rstrip() + "…"
    assert fit(text, key, size, width) == expected
