"""One table of records being read: where its columns are, how its cells are checked and its
problems reported, and how a row registers its node and the relations its columns give.

:class:`Table` is what the builders of :mod:`.records` work with, one per ``Source`` read. A
missing column points at an empty cell appended to every row (``blank``), so a builder reads
every cell by a precomputed index; a phone number in any column but the people's phone column is
refused (it would leak unmasked).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import itemgetter
from typing import TypeVar

from shanzhi.graph.model import (
    GridLevel,
    Label,
    OrgKind,
    PlaceKind,
    ProjectLevel,
    Provenance,
    Relation,
    RelType,
    Scalar,
)
from shanzhi.loaders.checks import Expect, Registry
from shanzhi.loaders.construct import make_node, make_relation, provenance, relation_key
from shanzhi.loaders.headers import Header, column_letter
from shanzhi.loaders.phones import SUSPECT, holds_phone, is_ruined_number
from shanzhi.loaders.readers import Source
from shanzhi.loaders.values import check_id, parse_date, parse_enum

__all__ = ["Builder", "Table"]

#: What a table's builder does with one row (its line and cells): register what it gives.
Builder = Callable[[int, list[str]], None]
E = TypeVar("E", GridLevel, PlaceKind, OrgKind, ProjectLevel, RelType)


class Table:
    """A Source being read as one of the six tables: column positions and problem reporting."""

    def __init__(
        self, table: str, source: Source, reg: Registry, header: Header, display: dict[str, str]
    ) -> None:
        self.table = table
        self.file = source.file
        self.reg = reg
        self.header = header
        self.display = {**header.display, **display}
        self.col_id, self.col_parent = self.column("id"), self.column("parent_id")
        #: the empty cell appended to each row: where a column the header lacks points
        self.blank = header.width
        #: required columns the header lacks: reported once at the header, not on every row
        self.silent: set[str] = set()
        # columns with a header problem count as named: their values are not reported again
        self.named = set(header.index.values()) | {i for i, _ in header.extras}
        self.named.update(i for i, _, _ in header.problems)
        self._all_named = len(self.named) == header.width
        self._unheaded: set[int] = set()
        self._enum_cache: dict[tuple[type, str], str | None] = {}
        self.i_id, self.i_name, self.i_parent = self.at("id", "name", "parent_id")
        #: cells searched for stray phone numbers: every named one but the phone column
        phone = header.index.get("phone") if table == "people" else None
        self.names = {i: self.display.get(c, c) for c, i in header.index.items()}
        self.names.update((i, self.display.get(n, n)) for i, n in header.extras)
        typed = {header.index.get(c) for c in _TYPED}  # dates, enums, yes/no: no phone fits
        self.scanned = [i for i in sorted(self.names) if i != phone and i not in typed]
        self.pick = _picker(self.scanned)

    def at(self, *cols: str) -> tuple[int, ...]:
        """The positions of canonical columns (``blank`` for those the header lacks)."""
        return tuple(self.header.index.get(c, self.blank) for c in cols)

    def column(self, col: str) -> str:
        """How problems name a canonical column (the header as the file writes it)."""
        return self.display.get(col, col)

    def problem(self, line: int, col: str, message: str) -> None:
        """Report a problem in a row's cell of canonical column ``col`` ("" for the row)."""
        self.reg.problem(self.file, line, self.column(col) if col else "", message)

    def missing(self, line: int, col: str) -> None:
        """Report an empty required cell (unless the whole column is missing)."""
        if col not in self.silent:
            self.problem(line, col, "required value is missing")

    def enum(self, line: int, col: str, enum: type[E], text: str) -> str | None:
        """The value of the member ``text`` names, or None (and a problem; empty is missing)."""
        if not text:
            self.missing(line, col)
            return None
        key = (enum, text)
        try:
            return self._enum_cache[key]
        except KeyError:
            pass
        try:
            value: str | None = parse_enum(enum, text).value
        except ValueError as e:
            self.problem(line, col, str(e))
            return None
        self._enum_cache[key] = value
        return value

    def date(self, line: int, col: str, text: str) -> tuple[bool, date | None]:
        """(True, the date or None when empty), or (False, None) and a problem."""
        if not text:
            return True, None
        try:
            return True, parse_date(text)
        except ValueError as e:
            self.problem(line, col, str(e))
            return False, None

    def fit(self, line: int, cells: list[str]) -> list[str]:
        """The row with exactly one empty cell after the header's columns (values beyond or
        under a blank header are reported once per column)."""
        width = self.blank
        if len(cells) == width and self._all_named:
            cells.append("")
            return cells
        for i, text in enumerate(cells):
            if text and i not in self.named and i not in self._unheaded:
                self._unheaded.add(i)
                self.problem(line, "", f"column {column_letter(i)}: value {text!r} has no header")
        return [*cells[:width], *([""] * (width - len(cells))), ""]

    def scan(self, line: int, cells: list[str]) -> None:
        """Report a phone number in any cell but the phone column (it would leak unmasked)."""
        if not self.scanned or not SUSPECT.search("\x1f".join(self.pick(cells))):
            return
        for i in self.scanned:
            text = cells[i]
            if text and holds_phone(text):
                name = self.names.get(i, column_letter(i))
                self.reg.problem(
                    self.file, line, name, _ruined(text) if is_ruined_number(text) else _STRAY
                )

    def props(self, cells: list[str]) -> dict[str, Scalar]:
        """The extra columns of a row (kept as text properties)."""
        return {name: cells[i] for i, name in self.header.extras if cells[i]}

    def node(
        self, line: int, cells: list[str], label: Label, kind: str | None, props: dict[str, Scalar]
    ) -> tuple[str, Provenance] | None:
        """Register the row's node; its id and provenance if it is new (so relations follow)."""
        node_id, name = cells[self.i_id], cells[self.i_name]
        if not name:
            self.missing(line, "name")
        if not node_id:
            self.missing(line, "id")
            return None
        if bad := check_id(node_id):
            self.problem(line, "id", bad)
            return None
        prov = provenance(self.file, line)
        node = make_node(node_id, label, name, kind, props, prov)
        return (node_id, prov) if self.reg.add_node(node, self.col_id) else None

    def ref(self, line: int, col: str, ref_id: str, expect: Expect) -> None:
        """Check a reference column."""
        self.reg.ref(ref_id, expect, self.file, line, self.column(col))

    def derive(self, src: str, rel_type: RelType, tgt: str, prov: Provenance) -> Relation:
        """Register the relation a reference column gives."""
        rel = make_relation(src, rel_type, tgt, prov)
        self.reg.add_relation(rel, relation_key(src, rel_type, tgt, None, None))
        return rel

    def parent(self, line: int, cells: list[str], child: str, prov: Provenance, e: Expect) -> None:
        """The ``parent_id`` column: a reference, a PART_OF relation and a link to cycle-check."""
        parent = cells[self.i_parent]
        if parent:
            self.ref(line, "parent_id", parent, e)
            self.reg.add_parent(child, parent, self.col_parent)
            self.derive(child, RelType.PART_OF, parent, prov)


_STRAY = (
    "这一列不是电话列，却含有电话号码：移到人员表的电话列（phone / 联系电话）或删去 "
    "(this column is no phone column but holds a phone number: move it to the people's phone "
    "column or delete it)"
)
#: Columns whose values are parsed as a date, a vocabulary word or yes/no: a phone in them is
#: refused by that parse already, so they are not searched for one.
_TYPED = ("level", "kind", "type", "party_member", "valid_from", "valid_to", "start", "end")


def _picker(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A fast ``lambda cells: tuple(cells[i] for i in positions)``."""
    if len(positions) == 1:
        i = positions[0]
        return lambda cells: (cells[i],)
    if not positions:
        return lambda cells: ()
    return itemgetter(*positions)


def _ruined(text: str) -> str:
    return (
        f"含有被 Excel 改成科学计数法的数字 {text}，原来的数字已丢失：把该列设为“文本”后重新输入 "
        f"(holds {text}, a number Excel turned into scientific notation and so lost: set the "
        "column to Text in Excel and type it again)"
    )
