"""Templates of ledger mappings: a text with ``{column}`` / ``{column|filter}`` holes, filled from
the cells of a ledger row (docs/mappings.md).

>>> t = Template.parse("P-{小区}-{楼号|digits}")
>>> t.columns, t.render({"小区": "示例苑", "楼号": "12号楼"}), t.render({"小区": "示例苑"})
(('小区', '楼号'), 'P-示例苑-12', None)
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from shanzhi.loaders.values import clean

__all__ = ["FILTERS", "SHEET_NAME", "Template"]

#: The template hole that gives the name of the sheet a row comes from.
SHEET_NAME = "@sheet"
#: ``{column|NAME}``: what each filter keeps of a cell.
FILTERS = {"digits": lambda s: re.sub(r"\D", "", s)}


@dataclass(frozen=True)
class Template:
    """A text with ``{column}`` / ``{column|filter}`` holes filled from a ledger row."""

    parts: tuple[str | tuple[str, str | None], ...]

    @classmethod
    def parse(cls, text: str) -> Template:
        """Compile; ValueError says what is wrong with the text."""
        parts: list[str | tuple[str, str | None]] = []
        try:
            pieces = list(string.Formatter().parse(text))
        except ValueError as e:
            raise ValueError(f"bad template {text!r} ({e}; write {{{{ for a literal {{)") from None
        for literal, name, spec, conversion in pieces:
            if literal:
                parts.append(literal)
            if name is None:
                continue
            if spec or conversion:
                raise ValueError(f"bad template {text!r} (write {{column|digits}}, no : or !)")
            column, _, filt = name.partition("|")
            if filt and filt.strip() not in FILTERS:
                raise ValueError(f"unknown filter {filt!r} (known: {', '.join(FILTERS)})")
            parts.append((clean(column), filt.strip() or None))
        return cls(tuple(parts))

    @property
    def columns(self) -> tuple[str, ...]:
        """The ledger columns the template reads, in order, without repeats."""
        return tuple(dict.fromkeys(p[0] for p in self.parts if isinstance(p, tuple)))

    def render(self, cell: dict[str, str]) -> str | None:
        """The filled text, or None if a cell it needs is empty."""
        out = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
                continue
            value = cell.get(p[0], "")
            if p[1]:
                value = FILTERS[p[1]](value)
            if not value:
                return None
            out.append(value)
        return clean("".join(out))
