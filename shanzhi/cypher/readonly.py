"""What an analyst's read-only query may contain: plain reads, nothing that acts on the server.

The server's own answer (``EXPLAIN`` → query type ``r``) says whether a statement writes, but
it calls some statements reads that still reach past the graph: ``SHOW TRANSACTIONS … TERMINATE
TRANSACTIONS`` ends other sessions' work, ``SHOW SETTINGS`` and ``CALL dbms.listConfig()`` show
the server's folders, ``CALL db.stats.retrieve('QUERIES')`` other users' queries, ``USE`` sends a
query to another database, ``LOAD CSV`` reads any file or address the server can reach. So
without ``--write`` a statement is refused when, outside comments and string literals, it has

- a ``SHOW``, ``TERMINATE`` or ``USE`` clause, or an administration command (``GRANT``, ``DENY``,
  ``REVOKE``, ``ALTER`` …);
- ``LOAD CSV``;
- a procedure call (``CALL name(…)``) of any procedure but the read-only ones in
  :data:`READ_PROCEDURES` (labels, types, keys, schema, full-text and vector index queries).

Words used as names are not clauses: after ``.`` ``:`` ``$`` or ``AS``, before ``:`` (a map key
or a label), before punctuation or the end (``RETURN show``), or in backticks. ``CALL {…}`` and
``CALL (…) {…}`` are subqueries, not procedures.

>>> refusal("MATCH (n:Grid) WHERE n.show = $use RETURN n.name AS show") is None
True
>>> refusal("SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t")
'SHOW'
>>> refusal("CALL `dbms`.`listConfig`() YIELD name RETURN name")
'CALL dbms.listConfig'
>>> refusal("LOAD /* x */ csv FROM 'file:///etc/passwd' AS r RETURN r")
'LOAD CSV'
>>> refusal("CALL db.labels() YIELD label RETURN label") is None
True
"""

from __future__ import annotations

import re

__all__ = ["READ_PROCEDURES", "loads_csv", "refusal"]

#: Procedures an analyst's read may call: they read the graph's own schema or indexes only.
READ_PROCEDURES = frozenset(
    name.lower()
    for name in (
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.fulltext.listAvailableAnalyzers",
        "db.index.vector.queryNodes",
        "db.index.vector.queryRelationships",
    )
)

#: Clauses that act on the server, other sessions or other databases.
_CLAUSES = frozenset(
    {"SHOW", "TERMINATE", "USE", "GRANT", "DENY", "REVOKE", "ALTER", "RENAME", "DEALLOCATE"}
)
#: Two-word administration commands whose first word is also a common name (``start``).
_PAIRS = {("START", "DATABASE"), ("STOP", "DATABASE"), ("ENABLE", "SERVER"), ("DROP", "SERVER")}

# Comments and string literals become a blank; backticked names stay (as quoted names).
_NOISE = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_TOKEN = re.compile(r"`(?P<quoted>(?:[^`]|``)*)`|(?P<word>[^\W\d]\w*)|(?P<other>\S)", re.UNICODE)
_NAME_BEFORE = frozenset({".", ":", "$"})


class _Token:
    __slots__ = ("quoted", "text", "word")

    def __init__(self, text: str, *, quoted: bool = False, word: bool = False) -> None:
        self.text, self.quoted, self.word = text, quoted, word

    def keyword(self) -> str | None:
        """The word in capitals (a possible keyword); None for a quoted name or punctuation."""
        return self.text.upper() if self.word else None


def _tokens(text: str) -> list[_Token]:
    out = []
    blanked = _NOISE.sub(lambda m: " " if m.group(0)[0] == "/" else " ' ", text)
    for m in _TOKEN.finditer(blanked):
        if m["quoted"] is not None:
            out.append(_Token(m["quoted"].replace("``", "`"), quoted=True))
        else:
            out.append(_Token(m.group(0), word=m["word"] is not None))
    return out


def _is_clause(tokens: list[_Token], i: int) -> bool:
    before = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if before is not None and (before.text in _NAME_BEFORE or before.keyword() == "AS"):
        return False
    return not (after is not None and after.text == ":" and not after.quoted)


def _procedure(tokens: list[_Token], i: int) -> str | None:
    """The dotted name called at ``CALL`` (token i), or None for a subquery."""
    parts: list[str] = []
    j = i + 1
    while j < len(tokens):
        tok = tokens[j]
        if tok.quoted or tok.keyword():
            parts.append(tok.text)
        else:
            break
        if j + 1 < len(tokens) and tokens[j + 1].text == "." and not tokens[j + 1].quoted:
            j += 2
            continue
        break
    return ".".join(parts) or None


def refusal(text: str) -> str | None:
    """What makes ``text`` more than a plain read (``SHOW``, ``LOAD CSV``, ``CALL dbms.x``), or
    None when it is one."""
    tokens = _tokens(text)
    for i, tok in enumerate(tokens):
        word = tok.keyword()
        if word is None or not _is_clause(tokens, i):
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        following = nxt.keyword() if nxt is not None else None
        if word in _CLAUSES and nxt is not None and (nxt.word or nxt.quoted):
            return word
        if (word, following) in _PAIRS or (word == "LOAD" and following == "CSV"):
            return f"{word} {following}"
        if word == "CALL":
            name = _procedure(tokens, i)
            if name is not None and name.lower() not in READ_PROCEDURES:
                return f"CALL {name}"
    return None


def loads_csv(text: str) -> bool:
    """Whether a statement uses LOAD CSV (outside comments, strings and quoted names).

    >>> loads_csv("MATCH (n {note: 'LOAD CSV'}) // LOAD CSV\\nRETURN n")
    False
    """
    tokens = _tokens(text)
    return any(
        tok.keyword() == "LOAD" and i + 1 < len(tokens) and tokens[i + 1].keyword() == "CSV"
        for i, tok in enumerate(tokens)
    )
