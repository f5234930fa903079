"""Rows to nodes and relations: one builder per table of records.md, problems per cell.

``read_table(table, source, registry)`` turns every row of a ``Source`` into a node (and the
relations its reference columns give) or a relation, checks each cell, and hands cross-record
checks to the ``Registry``. Nothing is dropped: a row with a problem is reported, and the
dataset as a whole is refused.

Derived relations (docs/records.md): ``grids.parent_id`` → Grid -PART_OF-> Grid,
``places.grid_id`` → Grid -COVERS-> Place, ``places.parent_id`` → Place -PART_OF-> Place,
``places.road_id`` → Place -LOCATED_IN-> Place (the road), ``orgs.grid_id`` → Org -LEADS-> Grid,
``orgs.parent_id`` → Org -PART_OF-> Org, ``orgs.place_id`` → Org -LOCATED_IN-> Place,
``projects.lead_id`` → Org -LEADS-> Project, ``projects.grid_id`` → Project -LOCATED_IN-> Grid.
Their provenance is the node's row; ``road_id``, ``place_id`` and ``grid_id`` stay on the node too.
A row of relations.csv may not give a ``LOCATED_IN`` (``DERIVED_ONLY``): it could only disagree
with the column.

Speed: a city-scale dataset has millions of rows, so the builders read cells by precomputed
index (a missing column points at an empty cell appended to every row) and build nodes without
pydantic's per-object validation (``make_node``): every value was checked here first.
``tests/loaders`` proves that what they make equals what validation makes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import itemgetter
from typing import Any, TypeVar

from pydantic import BaseModel

from shanzhi.graph.model import (
    DERIVED_ONLY,
    GridLevel,
    Label,
    Node,
    OrgKind,
    PlaceKind,
    ProjectLevel,
    Provenance,
    Relation,
    RelType,
    Scalar,
)
from shanzhi.loaders.checks import Expect, Registry
from shanzhi.loaders.headers import COLUMNS, REQUIRED, Header, column_letter, resolve_header
from shanzhi.loaders.phones import SUSPECT, holds_phone, is_ruined_number, parse_phone
from shanzhi.loaders.readers import Source
from shanzhi.loaders.values import check_id, parse_bool, parse_date, parse_enum, split_aliases

__all__ = ["make_node", "make_relation", "read_table", "relation_key"]

M = TypeVar("M", Node, Relation, Provenance)
E = TypeVar("E", GridLevel, PlaceKind, OrgKind, ProjectLevel, RelType)

# pydantic's own slots, set directly: what ``model_construct`` does without its overhead.
_new = object.__new__
_set_dict = object.__setattr__
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _build(cls: type[M], values: dict[str, Any], fields: frozenset[str]) -> M:
    obj: M = _new(cls)
    _set_dict(obj, "__dict__", values)
    _set_fields(obj, fields)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


_NODE_FIELDS = frozenset(Node.model_fields)
_REL_FIELDS = frozenset(Relation.model_fields)
_PROV_FIELDS = frozenset(Provenance.model_fields)
_TYPE = {t: t.value for t in RelType}


def provenance(file: str, line: int) -> Provenance:
    """A Provenance from checked values."""
    return _build(Provenance, {"file": file, "line": line}, _PROV_FIELDS)


def make_node(
    node_id: str,
    label: Label,
    name: str,
    kind: str | None,
    props: dict[str, Scalar],
    prov: Provenance,
) -> Node:
    """A node from checked values (equal to ``Node(...)``, without the validation cost)."""
    values: dict[str, Any] = {
        "id": node_id,
        "label": label,
        "name": name,
        "kind": kind,
        "props": props,
        "provenance": prov,
    }
    return _build(Node, values, _NODE_FIELDS)


def make_relation(
    source_id: str,
    rel_type: RelType,
    target_id: str,
    prov: Provenance,
    role: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    props: dict[str, Scalar] | None = None,
) -> Relation:
    """A relation from checked values (equal to ``Relation(...)``)."""
    values = {
        "source_id": source_id,
        "type": rel_type,
        "target_id": target_id,
        "role": role,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "props": {} if props is None else props,
        "provenance": prov,
    }
    return _build(Relation, values, _REL_FIELDS)


def relation_key(
    source_id: str, rel_type: RelType, target_id: str, role: str | None, valid_from: date | None
) -> str:
    """``Relation.key`` computed from the parts (without building the relation first)."""
    since = valid_from.isoformat() if valid_from else ""
    return f"{source_id}|{_TYPE[rel_type]}|{target_id}|{role or ''}|{since}"


class _Table:
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
        self.reg.add_relation(rel, f"{src}|{_TYPE[rel_type]}|{tgt}||")
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
_SELF_PART = "一个记录不能是它自己的一部分 (a record cannot be PART_OF itself)"
_SELF_ROAD = "一条道路不能临它自己 (a road cannot face itself)"


def _picker(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A fast ``lambda cells: tuple(cells[i] for i in positions)``."""
    if len(positions) == 1:
        i = positions[0]
        return lambda cells: (cells[i],)
    if not positions:
        return lambda cells: ()
    return itemgetter(*positions)


def _derived_only(rel_type: RelType) -> str:
    cols = DERIVED_ONLY[rel_type]
    return (
        f"{rel_type.value} 只由记录自己的列给出（{cols}），不写在关系表里 "
        f"({rel_type.value} is given by the records' own columns {cols}, not by a relations row)"
    )


def _ruined(text: str) -> str:
    return (
        f"含有被 Excel 改成科学计数法的数字 {text}，原来的数字已丢失：把该列设为“文本”后重新输入 "
        f"(holds {text}, a number Excel turned into scientific notation and so lost: set the "
        "column to Text in Excel and type it again)"
    )


_Builder = Callable[[int, list[str]], None]
_EXPECT = {label: Expect(label) for label in Label}
_ROAD = Expect(Label.PLACE, kind=PlaceKind.ROAD.value)
_GRID_PARENT = {
    lvl.value: Expect(Label.GRID, level=lvl.parent_level) for lvl in GridLevel if lvl.parent_level
}
_STREET = GridLevel.STREET.value
_PARENT_LEVEL = {lvl.value: lvl.parent_level.value for lvl in GridLevel if lvl.parent_level}


def _grids(t: _Table) -> _Builder:
    i_level, i_parent, i_code = t.at("level", "parent_id", "code")

    def build(line: int, cells: list[str]) -> None:
        level = t.enum(line, "level", GridLevel, cells[i_level])
        props = t.props(cells)
        if code := cells[i_code]:
            props["code"] = code
        made = t.node(line, cells, Label.GRID, level, props)
        if made is None:
            return
        parent = cells[i_parent]
        if level == _STREET and parent:
            t.problem(line, "parent_id", f"a street grid has no parent, got {parent}")
        elif level is not None and level != _STREET and not parent:
            up = _PARENT_LEVEL[level]
            t.problem(line, "parent_id", f"missing: a {level} grid needs a {up} grid as parent")
        else:
            expect = _GRID_PARENT.get(level or "", _EXPECT[Label.GRID])
            t.parent(line, cells, made[0], made[1], expect)

    return build


def _places(t: _Table) -> _Builder:
    i_kind, i_addr, i_alias, i_road, i_grid = t.at(
        "kind", "address", "aliases", "road_id", "grid_id"
    )

    def build(line: int, cells: list[str]) -> None:
        kind = t.enum(line, "kind", PlaceKind, cells[i_kind])
        props = t.props(cells)
        if address := cells[i_addr]:
            props["address"] = address
        if aliases := cells[i_alias]:
            props["aliases"] = split_aliases(aliases)
        if road := cells[i_road]:
            props["road_id"] = road
            t.ref(line, "road_id", road, _ROAD)
        made = t.node(line, cells, Label.PLACE, kind, props)
        if made is None:
            return
        if grid := cells[i_grid]:
            t.ref(line, "grid_id", grid, _EXPECT[Label.GRID])
            t.derive(grid, RelType.COVERS, made[0], made[1])
        t.parent(line, cells, made[0], made[1], _EXPECT[Label.PLACE])
        if road:
            if road == made[0]:
                t.problem(line, "road_id", _SELF_ROAD)
            else:
                t.derive(made[0], RelType.LOCATED_IN, road, made[1])

    return build


def _orgs(t: _Table) -> _Builder:
    i_kind, i_place, i_grid = t.at("kind", "place_id", "grid_id")

    def build(line: int, cells: list[str]) -> None:
        kind = t.enum(line, "kind", OrgKind, cells[i_kind])
        props = t.props(cells)
        if place := cells[i_place]:
            props["place_id"] = place
            t.ref(line, "place_id", place, _EXPECT[Label.PLACE])
        made = t.node(line, cells, Label.ORG, kind, props)
        if made is None:
            return
        if grid := cells[i_grid]:
            t.ref(line, "grid_id", grid, _EXPECT[Label.GRID])
            t.derive(made[0], RelType.LEADS, grid, made[1])
        t.parent(line, cells, made[0], made[1], _EXPECT[Label.ORG])
        if place:
            t.derive(made[0], RelType.LOCATED_IN, place, made[1])

    return build


def _people(t: _Table) -> _Builder:
    i_member, i_phone = t.at("party_member", "phone")

    def build(line: int, cells: list[str]) -> None:
        props = t.props(cells)
        if member := cells[i_member]:
            try:
                props["party_member"] = parse_bool(member)
            except ValueError as e:
                t.problem(line, "party_member", str(e))
        if phone := cells[i_phone]:
            try:
                props["phone"] = parse_phone(phone)
            except ValueError as e:
                t.problem(line, "phone", str(e))
        t.node(line, cells, Label.PERSON, None, props)

    return build


def _projects(t: _Table) -> _Builder:
    i_level, i_status, i_grid, i_start, i_end, i_lead = t.at(
        "level", "status", "grid_id", "start", "end", "lead_id"
    )

    def build(line: int, cells: list[str]) -> None:
        level = t.enum(line, "level", ProjectLevel, cells[i_level])
        props = t.props(cells)
        if status := cells[i_status]:
            props["status"] = status
        if grid := cells[i_grid]:
            props["grid_id"] = grid
            t.ref(line, "grid_id", grid, _EXPECT[Label.GRID])
        _, start = t.date(line, "start", cells[i_start])
        _, end = t.date(line, "end", cells[i_end])
        if start:
            props["start"] = start.isoformat()
        if end:
            props["end"] = end.isoformat()
            if start and end < start:
                t.problem(line, "end", f"{end.isoformat()} is before start {start.isoformat()}")
        made = t.node(line, cells, Label.PROJECT, level, props)
        if made is None:
            return
        if lead := cells[i_lead]:
            t.ref(line, "lead_id", lead, _EXPECT[Label.ORG])
            t.derive(lead, RelType.LEADS, made[0], made[1])
        if grid:
            t.derive(made[0], RelType.LOCATED_IN, grid, made[1])

    return build


def _relations(t: _Table) -> _Builder:
    i_src, i_type, i_tgt, i_role, i_from, i_to, i_note = t.at(*COLUMNS["relations"])
    reg, file, extras = t.reg, t.file, t.header.extras
    nodes = reg.nodes
    col_src, col_tgt = t.column("source_id"), t.column("target_id")
    types: dict[str, RelType] = {}  # memos of the hottest loop: a city has millions of rows
    allowed: dict[tuple[RelType, Label, Label], str | None] = {}

    def build(line: int, cells: list[str]) -> None:
        src, tgt, role, text = cells[i_src], cells[i_tgt], cells[i_role] or None, cells[i_type]
        rel_type = types.get(text)
        if rel_type is None:
            value = t.enum(line, "type", RelType, text)
            if value is not None:
                rel_type = types[text] = RelType(value)
        ok = rel_type is not None
        valid_from = valid_to = None
        if cells[i_from]:
            ok_from, valid_from = t.date(line, "valid_from", cells[i_from])
            ok = ok and ok_from
        if cells[i_to]:
            ok_to, valid_to = t.date(line, "valid_to", cells[i_to])
            ok = ok and ok_to
        if valid_from and valid_to and valid_to < valid_from:
            t.problem(line, "valid_to", f"{valid_to} is before valid_from {valid_from}")
            ok = False
        if rel_type is RelType.HOLDS and not role:
            t.problem(line, "role", "missing: HOLDS needs a role (e.g. 楼组长)")
            ok = False
        elif rel_type in DERIVED_ONLY:
            t.problem(line, "type", _derived_only(rel_type))
            ok = False
        source, target = nodes.get(src), nodes.get(tgt)
        if not src:
            t.missing(line, "source_id")
        elif source is None:
            reg.unknown(src, file, line, col_src)
        if not tgt:
            t.missing(line, "target_id")
        elif target is None:
            reg.unknown(tgt, file, line, col_tgt)
        if not ok or source is None or target is None or rel_type is None:
            return
        props: dict[str, Scalar] = {n: cells[i] for i, n in extras if cells[i]} if extras else {}
        if note := cells[i_note]:
            props["note"] = note
        rel = make_relation(
            src, rel_type, tgt, provenance(file, line), role, valid_from, valid_to, props
        )
        if rel_type is RelType.PART_OF:
            if src == tgt:
                t.problem(line, "target_id", _SELF_PART)
                return
            reg.add_part_of(src, tgt, file, line, col_tgt)
        labels = (rel_type, source.label, target.label)
        why = (
            allowed[labels]
            if labels in allowed
            else allowed.setdefault(labels, rel.allowed_between(source.label, target.label))
        )
        if why:
            t.problem(line, "type", why)
        else:
            reg.add_relation(rel, relation_key(src, rel_type, tgt, role, valid_from))

    return build


_BUILDERS: dict[str, Callable[[_Table], _Builder]] = {
    "grids": _grids,
    "places": _places,
    "orgs": _orgs,
    "people": _people,
    "projects": _projects,
    "relations": _relations,
}


def read_table(
    table: str, source: Source, reg: Registry, display: dict[str, str] | None = None
) -> int:
    """Read every row of ``source`` as ``table`` into ``reg``; returns how many rows were read.

    ``display`` overrides how columns are named in problems (ledgers name their own columns).
    """
    header = resolve_header(table, source.header)
    for i, text, message in header.problems:
        reg.problem(source.file, source.line_of_column(i), text, message)
    t = _Table(table, source, reg, header, display or {})
    for col in REQUIRED[table]:
        if col not in header.index and source.header_line is not None:
            t.silent.add(col)
            reg.problem(source.file, source.header_line, col, "required column is missing")
    build, fit, scan = _BUILDERS[table](t), t.fit, t.scan
    count = 0
    for line, cells in source.rows:
        row = fit(line, cells)
        scan(line, row)
        build(line, row)
        count += 1
    reg.problems.extend(source.problems)
    reg.notes.extend(source.notes)
    reg.incomplete = reg.incomplete or not source.complete
    return count
