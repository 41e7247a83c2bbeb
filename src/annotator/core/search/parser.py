"""The query language, read forgivingly.

Words, "exact phrases", AND / OR / NOT (upper case) and -word, NEAR(a b, 5)
and a w/5 b, prefix surg*, parentheses, and filters such as theme:safety or
witness:"Bruce Keogh". Anything not understood becomes plain words or is
dropped with a short notice; parse() never raises.
"""

from typing import Any
import re
from dataclasses import dataclass, field

MAX_TERMS = 40  # more words than this are dropped (bounded search time)
MAX_DEPTH = 8  # deeper parentheses are flattened
MAX_NEAR = 100
DEFAULT_NEAR = 10
MIN_PREFIX = 3  # "a*" would expand to most of the vocabulary
FILTER_KEYS = ("theme", "doc", "witness", "day", "kind", "tagged", "note", "author", "ocr")
_KEY_ALIASES = {"document": "doc", "themes": "theme", "tag": "theme", "type": "kind", "days": "day"}


@dataclass
class Term:
    text: str  # a word, or the words of a phrase
    prefix: bool = False
    phrase: bool = False


@dataclass
class Near:
    terms: list[Term]
    distance: int


@dataclass
class And:
    items: list[Any]  # nodes; Not nodes mark exclusions


@dataclass
class Or:
    items: list[Any]


@dataclass
class Not:
    item: object


@dataclass
class Query:
    root: object | None  # a node, or None when there are no words
    filters: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def has_word(text: str) -> bool:
    """True when the FTS tokenizer would find at least one token."""
    return any(ch.isalnum() for ch in text)


# ---- tokens -------------------------------------------------------------
# kinds: word, phrase, op (AND/OR/NOT), neg, lpar, rpar, comma, prox, near, filter
@dataclass
class Tok:
    kind: str
    text: str = ""
    prefix: bool = False
    value: int = 0


_PROX = re.compile(r"(?:w|near)?/(\d{1,6})$", re.IGNORECASE)
_STOP = set(' \t\r\n\f\v"(),')


def _read_quoted(q: str, i: int, notices: list[str]) -> tuple[str, int, bool]:
    """Text between the quote at i and its partner; (text, next index, closed)."""
    j = q.find('"', i + 1)
    if j < 0:
        _note(notices, "An unmatched quote mark was ignored.")
        return "", i + 1, False
    return q[i + 1 : j], j + 1, True


def tokenize(q: str, notices: list[str]) -> list[Tok]:
    toks: list[Tok] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace() or ch == ",":
            if ch == ",":
                toks.append(Tok("comma"))
            i += 1
        elif ch == "(":
            toks.append(Tok("lpar"))
            i += 1
        elif ch == ")":
            toks.append(Tok("rpar"))
            i += 1
        elif ch == '"':
            text, i, closed = _read_quoted(q, i, notices)
            if closed:
                prefix = i < n and q[i] == "*"
                i += prefix
                if text.rstrip().endswith("*"):
                    text, prefix = text.rstrip().rstrip("*"), True
                toks.append(Tok("phrase", text, prefix))
        elif (
            ch == "-"
            and i + 1 < n
            and q[i + 1] not in _STOP | {"-"}
            or (ch == "-" and i + 1 < n and q[i + 1] in '"(')
        ):
            toks.append(Tok("neg"))
            i += 1
        else:
            j = i
            while j < n and q[j] not in _STOP:
                j += 1
            word = q[i:j]
            key, sep, rest = word.partition(":")
            key_l = _KEY_ALIASES.get(key.lower(), key.lower())
            if sep and key_l in FILTER_KEYS:
                if rest:
                    toks.append(Tok("filter", f"{key_l}:{rest}"))
                    i = j
                elif j < n and q[j] == '"':
                    text, i, closed = _read_quoted(q, j, notices)
                    if closed and text.strip():
                        toks.append(Tok("filter", f"{key_l}:{text.strip()}"))
                    elif closed:
                        _note(notices, f"'{key}:' needs a value, e.g. {key_l}:word; it was ignored.")
                else:
                    _note(notices, f"'{key}:' needs a value, e.g. {key_l}:word; it was ignored.")
                    i = j
                continue
            i = j
            if word in ("AND", "OR", "NOT", "&&", "||"):
                toks.append(Tok("op", {"&&": "AND", "||": "OR"}.get(word, word)))
            elif word.upper() == "NEAR" and i < n and q[i] == "(":
                toks.append(Tok("near"))
            elif m := _PROX.match(word):
                toks.append(Tok("prox", value=int(m.group(1))))
            else:
                prefix = word.endswith("*")
                word = word.replace("*", " ").strip()
                if word:
                    toks.append(Tok("word", word, prefix))
                elif "*" in q[i - 1 : i]:
                    _note(notices, "A '*' on its own was ignored; put it after a word, as in surg*.")
    return toks


def _note(notices: list[str], text: str) -> None:
    if text not in notices:
        notices.append(text)


# ---- grammar ----------------------------------------------------------
class _Parser:
    def __init__(self, toks: list[Tok], notices: list[str]):
        self.toks = toks
        self.i = 0
        self.notices = notices
        self.filters: list[tuple[str, str]] = []
        self.terms = 0
        self.depth = 0

    def peek(self) -> Tok | None:
        while self.i < len(self.toks) and self.toks[self.i].kind == "filter":
            key, _, value = self.toks[self.i].text.partition(":")
            self.filters.append((key, value))
            self.i += 1
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok | None:
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self):
        items = []
        while self.peek() is not None:
            node = self.or_expr()
            if node is not None:
                items.append(node)
            tok = self.peek()
            if tok is not None and tok.kind == "rpar":
                self.take()
                _note(self.notices, "An unmatched ')' was ignored.")
        return _and(items)

    def or_expr(self):
        items = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.take()
            items.append(self.and_expr())
        if len(items) > 1 and None in items:
            _note(self.notices, "'OR' needs words on both sides; it was ignored.")
        items = [x for x in items if x is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(items)

    def and_expr(self):
        items: list[Any] = []
        while (tok := self.peek()) is not None:
            if tok.kind == "rpar" or (tok.kind == "op" and tok.text == "OR"):
                break
            if tok.kind == "op" and tok.text == "AND":
                self.take()
                nxt = self.peek()
                if not items or nxt is None or nxt.kind == "rpar" or nxt.kind == "op":
                    _note(self.notices, "'AND' needs words on both sides; it was ignored.")
                continue
            node = self.unary()
            if node is not None:
                items.append(node)
        return _and(items)

    def unary(self):
        negate = False
        while (tok := self.peek()) is not None and (
            tok.kind == "neg" or (tok.kind == "op" and tok.text == "NOT")
        ):
            self.take()
            negate = not negate
            nxt = self.peek()
            if nxt is None or nxt.kind == "rpar" or (nxt.kind == "op" and nxt.text != "NOT"):
                _note(self.notices, "'NOT' (or '-') needs a word after it; it was ignored.")
                return None
        node = self.primary()
        return Not(node) if negate and node is not None else node

    def primary(self):
        tok = self.take()
        if tok is None:
            return None
        if tok.kind == "lpar":
            if self.depth >= MAX_DEPTH:
                _note(self.notices, "Deeply nested brackets were flattened.")
                return None
            self.depth += 1
            node = self.or_expr()
            self.depth -= 1
            nxt = self.peek()
            if nxt is not None and nxt.kind == "rpar":
                self.take()
            else:
                _note(self.notices, "An unmatched '(' was ignored.")
            return node
        if tok.kind == "near":
            return self.near_call()
        if tok.kind in ("word", "phrase"):
            term = self.term(tok)
            return self.proximity(term)
        if tok.kind == "prox":
            _note(self.notices, f"'w/{tok.value}' needs a word on each side; it was ignored.")
        # a stray comma or ')' handled by callers: nothing to add
        return None

    def term(self, tok: Tok) -> Term | None:
        text = " ".join(tok.text.split())
        if not has_word(text):
            if tok.kind == "phrase" and text:
                _note(self.notices, f'"{text[:20]}" has no letters or digits; it was ignored.')
            return None
        if self.terms >= MAX_TERMS:
            _note(self.notices, f"Only the first {MAX_TERMS} words were searched.")
            return None
        self.terms += 1
        prefix = tok.prefix
        if prefix and len(text.split()[-1]) < MIN_PREFIX:
            _note(
                self.notices,
                f"'{text}*' is too short for a prefix search "
                f"(at least {MIN_PREFIX} letters); it was searched as a word.",
            )
            prefix = False
        return Term(text, prefix, tok.kind == "phrase")

    def proximity(self, first: Term | None):
        terms = [first] if first else []
        distance = None
        while (tok := self.peek()) is not None and tok.kind == "prox":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind not in ("word", "phrase"):
                _note(self.notices, f"'w/{tok.value}' needs a word on each side; it was ignored.")
                break
            distance = max(distance or 0, tok.value)
            self.take()
            term = self.term(nxt)
            if term:
                terms.append(term)
        if distance is None or len(terms) < 2:
            return terms[0] if terms else None
        return Near(terms, min(distance, MAX_NEAR))

    def near_call(self):
        self.take()  # the "("
        terms, distance, odd = [], DEFAULT_NEAR, False
        while (tok := self.peek()) is not None and tok.kind != "rpar":
            self.take()
            if tok.kind in ("word", "phrase"):
                term = self.term(tok)
                if term:
                    terms.append(term)
            elif tok.kind == "comma":
                nxt = self.peek()
                if nxt is not None and nxt.kind == "word" and nxt.text.isdigit():
                    self.take()
                    distance = min(int(nxt.text), MAX_NEAR)
            else:
                odd = True
        if self.peek() is not None:
            self.take()
        else:
            _note(self.notices, "NEAR( was not closed; it was read to the end.")
        if odd:
            _note(
                self.notices,
                "NEAR() takes words and phrases only, as in NEAR(a b, 5); other parts were ignored.",
            )
        if len(terms) < 2:
            return terms[0] if terms else None
        return Near(terms, distance)


def _and(items: list[Any]):
    items = [x for x in items if x is not None]
    if not items:
        return None
    return items[0] if len(items) == 1 else And(items)


def parse(text: str) -> Query:
    """Read a query; never raises."""
    notices: list[str] = []
    text = str(text or "")
    if len(text) > 10_000:
        text = text[:10_000]
        _note(notices, "Only the first 10,000 characters were read.")
    toks = tokenize(text, notices)
    p = _Parser(toks, notices)
    root = p.parse()
    return Query(root, p.filters, notices)
