"""Web text (reStructuredText, Markdown, HTML) to plain blocks: headings and
paragraphs, with the markup stripped and a bold speaker label kept apart.

Only what hearing pages use is understood: section titles, paragraphs,
`**Name**:` labels, emphasis, links, and directives or raw HTML to skip.
"""

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

WEB_SUFFIXES = (".rst", ".rest", ".md", ".markdown", ".html", ".htm")


@dataclass
class Block:
    kind: str  # heading | para
    text: str
    label: str = ""  # speaker label marked in bold before a colon (`**Mr Beer**:`)
    level: int = 0  # headings: 1 for the title, then deeper


_UNDERLINE = re.compile(r"^([=\-^~*#+\"'`:.])\1{2,}\s*$")
_DIRECTIVE = re.compile(r"^\.\.\s")
_BOLD_LABEL = re.compile(r"^\*\*([^*\n]{2,80}?)\*\*\s*:\s*")
_LINK_RST = re.compile(r"`([^`<]+?)\s*<[^>]*>`__?")
_LINK_MD = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ROLE = re.compile(r":[a-z-]+:`([^`]*)`")
_STRONG = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")
_EMPH = re.compile(r"(?<![\w*])([*_])(\S(?:.*?\S)?)\1(?![\w*])")
_LITERAL = re.compile(r"``(.+?)``|`([^`]+)`")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TAG = re.compile(r"<[^>]+>")


def inline(text: str) -> str:
    """Inline markup removed: links keep their words, emphasis its text."""
    text = _LINK_RST.sub(r"\1", text)
    text = _LINK_MD.sub(r"\1", text)
    text = _ROLE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPH.sub(r"\2", text)
    text = _LITERAL.sub(lambda m: m.group(1) or m.group(2), text)
    text = text.replace("\\*", "*").replace("\\_", "_")
    return " ".join(text.split())


def _para(lines: list[str]) -> Block:
    raw = " ".join(s.strip() for s in lines)
    m = _BOLD_LABEL.match(raw)
    if m:
        return Block("para", inline(raw[m.end() :]), label=" ".join(m.group(1).split()))
    return Block("para", inline(raw))


def from_lightweight(text: str) -> list[Block]:
    """reStructuredText or Markdown: paragraphs split by blank lines, titles
    by their underline (or `#`), directives and their indented bodies dropped."""
    lines = text.split("\n")
    out: list[Block] = []
    levels: list[str] = []
    para: list[str] = []
    i = 0

    def flush() -> None:
        if para:
            out.append(_para(para))
            para.clear()

    while i < len(lines):
        ln = lines[i].rstrip()
        if _DIRECTIVE.match(ln) or ln.strip().startswith("<!--"):
            flush()
            i += 1
            if ln.strip().startswith("<!--"):
                while i < len(lines) and "-->" not in lines[i - 1]:
                    i += 1
                continue
            while i < len(lines) and (not lines[i].strip() or lines[i][:1] in " \t"):
                i += 1
            continue
        if not ln.strip():
            flush()
            i += 1
            continue
        nxt = lines[i + 1].rstrip() if i + 1 < len(lines) else ""
        if not para and _UNDERLINE.match(nxt) and len(nxt.strip()) >= len(ln.strip()) * 0.8:
            mark = nxt.strip()[0]
            if mark not in levels:
                levels.append(mark)
            out.append(Block("heading", inline(ln), level=levels.index(mark) + 1))
            i += 2
            continue
        if _UNDERLINE.match(ln) and not para:  # an overline, or a transition line
            i += 1
            continue
        m = _MD_HEADING.match(ln)
        if m and not para:
            out.append(Block("heading", inline(m.group(2)), level=len(m.group(1))))
            i += 1
            continue
        para.append(ln)
        i += 1
    flush()
    return out


class _Html(HTMLParser):
    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br", "dt", "dd"}
    SKIP = {"script", "style", "head", "nav", "footer", "noscript", "template", "iframe"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[Block] = []
        self.buf: list[str] = []
        self.bold: list[str] = []  # text in bold at the very start of the block
        self.in_bold = 0
        self.skip = 0
        self.heading = 0

    def flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        lead = " ".join("".join(self.bold).split()).rstrip(":").strip()
        self.buf, self.bold = [], []
        if not text:
            return
        if self.heading:
            self.out.append(Block("heading", text, level=self.heading))
            return
        if lead and text.startswith(lead) and text[len(lead) :].lstrip().startswith(":"):
            self.out.append(Block("para", text[len(lead) :].lstrip()[1:].strip(), label=lead))
        else:
            self.out.append(Block("para", text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCKS:
            self.flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.heading = int(tag[1:])
        elif tag in ("strong", "b"):
            self.in_bold += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.flush()
            self.heading = 0
        elif tag in ("strong", "b"):
            self.in_bold = max(0, self.in_bold - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_bold and not "".join(self.buf).replace("".join(self.bold), "").strip():
            self.bold.append(data)
        self.buf.append(data)


def from_html(text: str) -> list[Block]:
    p = _Html()
    try:
        p.feed(text)
        p.close()
    except Exception:  # html.parser is lenient; a broken page still gives its text
        return [Block("para", html.unescape(_TAG.sub(" ", text)).strip())]
    p.flush()
    return p.out


def blocks(text: str, path: str) -> list[Block]:
    low = path.lower()
    if low.endswith((".html", ".htm")) or text.lstrip()[:100].lower().startswith(("<!doctype html", "<html")):
        return from_html(text)
    return from_lightweight(text)


def is_web_text(path: str) -> bool:
    return path.lower().endswith(WEB_SUFFIXES)
