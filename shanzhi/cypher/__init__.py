"""The analysts' query library: one documented, parameterised ``.cypher`` file per question.

Each file begins with a header of ``//`` comment lines::

    // title: 谁负责这栋楼 — Who covers a building
    // answers: one sentence or more (continuation lines are indented)
    // param: building_uid: string = gonghexinlu:B-JL-12 — what it is
    // param: on: date? = 2026-11-27 — a trailing ? means optional (null when not given)
    // returns: col_a, col_b, … — what each column holds

Types: string, int, float, bool, date (given as ``YYYY-MM-DD``, sent as a Neo4j ``Date``),
list<string>.

A query is found by its library name only (``who_covers``): a name is never a path, so
``shanzhi cypher show ../../x`` reads nothing outside the library (``--file`` is the explicit way
to run one's own file).

>>> q = query("stats")
>>> q.title.startswith("图谱概况"), [p.name for p in q.params]
(True, ['dataset'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shanzhi.errors import ModelError, NotFoundError

__all__ = ["Param", "Query", "names", "parse_query", "query"]

_NAME = re.compile(r"[a-z0-9_]+")
PARAM_TYPES = ("string", "int", "float", "bool", "date", "list<string>")
_PARAM = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<type>[a-z<>]+)(?P<opt>\?)?"
    r"(?:\s*=\s*(?P<example>.*?))?\s*(?:—\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class Param:
    """A declared parameter of a query."""

    name: str
    type: str
    optional: bool
    example: str | None
    doc: str


@dataclass(frozen=True)
class Query:
    """A query file: its header and its text."""

    name: str
    title: str
    answers: str
    params: tuple[Param, ...]
    returns: str
    text: str

    def param(self, name: str) -> Param | None:
        """The declared parameter of that name, if any."""
        return next((p for p in self.params if p.name == name), None)

    @property
    def ordered(self) -> bool:
        """Whether the query's final RETURN promises an order (``ORDER BY`` after it).

        >>> Query("q", "", "", (), "", "CALL () { RETURN 1 AS a ORDER BY a } RETURN a").ordered
        False
        """
        tail = re.split(r"\bRETURN\b", _strip_comments(self.text))[-1]
        return re.search(r"\bORDER\s+BY\b", tail) is not None

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names the ``// returns:`` line lists: the first word of each top-level item
        (the meta-test checks they are the columns the query returns).

        >>> Query("q", "", "", (), "a, b (x, y), c — a note, with commas", "").columns
        ('a', 'b', 'c')
        """
        items, depth, current = [], 0, ""
        for ch in self.returns.split(" — ", 1)[0]:
            depth += (ch in "([{") - (ch in ")]}")
            if ch == "," and depth == 0:
                items.append(current)
                current = ""
            else:
                current += ch
        items.append(current)
        words = (re.match(r"[A-Za-z_]\w*", item.strip()) for item in items)
        return tuple(w.group(0) for w in words if w)


def parse_query(name: str, text: str) -> Query:
    """Parse a query file's header; a malformed header is a ModelError naming the file."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    last: str | None = None
    for raw in text.splitlines():
        if not raw.startswith("//"):
            break
        body = raw[2:]
        if body.startswith("   ") and last:  # continuation line
            fields[last] += " " + body.strip()
            continue
        key, _, value = body.strip().partition(":")
        key, value = key.strip(), value.strip()
        if key == "param":
            m = _PARAM.match(value)
            if not m or m["type"] not in PARAM_TYPES:
                raise ModelError(f"cypher/{name}.cypher: malformed param line {value!r}")
            params.append(Param(m["name"], m["type"], bool(m["opt"]), m["example"], m["doc"] or ""))
            last = None
        elif key in ("title", "answers", "returns"):
            fields[key] = value
            last = key
    missing = [k for k in ("title", "answers", "returns") if k not in fields]
    if missing:
        raise ModelError(f"cypher/{name}.cypher: header lacks {', '.join(missing)}")
    declared = {p.name for p in params}
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", _strip_comments(text)))
    if used != declared:
        raise ModelError(
            f"cypher/{name}.cypher: parameters used {sorted(used)} "
            f"differ from those declared {sorted(declared)}"
        )
    return Query(name, fields["title"], fields["answers"], tuple(params), fields["returns"], text)


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


#: The library's folder: package data installed beside this module. (Not ``importlib.resources``,
#: whose import costs every command that asks one question a tenth of its start-up.)
_FOLDER = Path(__file__).parent


def names() -> list[str]:
    """The names of every query in the library."""
    return sorted(
        p.name.removesuffix(".cypher") for p in _FOLDER.iterdir() if p.name.endswith(".cypher")
    )


@cache
def query(name: str) -> Query:
    """The library query of that name (a name of :func:`names`, never a path).

    >>> query("../../etc/passwd")
    Traceback (most recent call last):
    ...
    shanzhi.errors.NotFoundError: no query named '../../etc/passwd' in the library; see \
`shanzhi cypher list`.
    """
    if not _NAME.fullmatch(name) or name not in names():
        raise NotFoundError(f"no query named {name!r} in the library; see `shanzhi cypher list`.")
    path = _FOLDER / f"{name}.cypher"
    return parse_query(name, path.read_text(encoding="utf-8"))
