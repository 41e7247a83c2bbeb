"""Turn a parsed query into FTS5 MATCH strings built only from quoted tokens.

User text never reaches MATCH raw: every word or phrase is wrapped in double
quotes (inner quotes doubled), so FTS5 syntax in the input is inert.
"""

from annotator.core.search.parser import And, Near, Not, Or, Term, _note


def quote(term: Term) -> str:
    q = '"' + term.text.replace('"', '""') + '"'
    return q + " *" if term.prefix else q


def _render(node: object, notices: list[str]) -> str | None:
    if isinstance(node, Term):
        return quote(node)
    if isinstance(node, Near):
        return "NEAR(" + " ".join(quote(t) for t in node.terms) + f", {node.distance})"
    if isinstance(node, Or):
        parts = []
        for item in node.items:
            if isinstance(item, Not):
                _note(notices, "An exclusion inside OR was ignored; exclude words at the top level.")
                continue
            r = _render(item, notices)
            if r:
                parts.append(r)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
    if isinstance(node, And):
        pos = [_render(x, notices) for x in node.items if not isinstance(x, Not)]
        neg = [_render(x.item, notices) for x in node.items if isinstance(x, Not)]
        pos_t, neg_t = [p for p in pos if p], [n for n in neg if n]
        if not pos_t:
            if neg_t:
                _note(notices, "An exclusion needs a word to exclude from; it was ignored.")
            return None
        text = pos_t[0] if len(pos_t) == 1 else "(" + " AND ".join(pos_t) + ")"
        if neg_t:
            text = f"({text} NOT " + (neg_t[0] if len(neg_t) == 1 else "(" + " OR ".join(neg_t) + ")") + ")"
        return text
    if isinstance(node, Not):
        _note(notices, "An exclusion needs a word to exclude from; it was ignored.")
    return None


def split(root: object, notices: list[str]) -> tuple[str | None, str | None]:
    """(what to match, what to exclude) for the whole query; either may be None.

    FTS5's NOT is binary, so a query made only of exclusions comes back as
    (None, exclusions) and the executor removes those rows itself.
    """
    if root is None:
        return None, None
    items = root.items if isinstance(root, And) else [root]
    pos = [x for x in items if not isinstance(x, Not)]
    neg = [x.item for x in items if isinstance(x, Not)]
    if pos:
        return _render(And(items) if len(items) > 1 else root, notices), None
    parts = [r for r in (_render(x, notices) for x in neg) if r]
    if not parts:
        return None, None
    return None, parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def column(name: str, term: Term) -> str:
    """A match limited to one column of the passage index."""
    return f"{name} : {quote(term)}"
