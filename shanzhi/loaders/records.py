"""Rows to nodes and relations: one builder per table of records.md, problems per cell.

``read_table(table, source, registry)`` turns every row of a ``Source`` into a node (and the
relations its reference columns give) or a relation, checks each cell, and hands cross-record
checks to the ``Registry``. Nothing is dropped: a row with a problem is reported, and the
dataset as a whole is refused.

Derived relations (CONTEXT.md): ``grids.parent_id`` → Grid -PART_OF-> Grid, ``places.grid_id``
→ Grid -COVERS-> Place, ``places.parent_id`` → Place -PART_OF-> Place, ``orgs.grid_id`` →
Org -LEADS-> Grid, ``orgs.parent_id`` → Org -PART_OF-> Org, ``projects.lead_id`` →
Org -LEADS-> Project. Their provenance is the node's row.

Nodes are built without pydantic's per-object validation (``_build``): every value was
checked here first, and at ~10^6 rows validation would cost more than reading the file.
``tests/loaders`` proves that what ``_build`` makes equals what validation makes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from shanzhi.graph.model import (
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
from shanzhi.loaders.headers import REQUIRED, Header, column_letter, resolve_header
from shanzhi.loaders.readers import Source
from shanzhi.loaders.values import parse_bool, parse_date, parse_enum, split_aliases

__all__ = ["make_node", "make_relation", "read_table"]

M = TypeVar("M", Node, Relation, Provenance)
E = TypeVar("E", GridLevel, PlaceKind, OrgKind, ProjectLevel, RelType)


def _build(cls: type[M], values: dict[str, Any], fields: frozenset[str]) -> M:
    """What ``cls.model_construct`` does, without its per-call overhead (values are checked)."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", fields)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


_NODE_FIELDS = frozenset(Node.model_fields)
_REL_FIELDS = frozenset(Relation.model_fields)
_PROV_FIELDS = frozenset(Provenance.model_fields)


def make_node(
    node_id: str,
    label: Label,
    name: str,
    kind: str | None,
    props: dict[str, Scalar],
    file: str,
    line: int,
) -> Node:
    """A node from checked values."""
    prov = _build(Provenance, {"file": file, "line": line}, _PROV_FIELDS)
    values = {
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
    file: str,
    line: int,
    role: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    props: dict[str, Scalar] | None = None,
) -> Relation:
    """A relation from checked values."""
    prov = _build(Provenance, {"file": file, "line": line}, _PROV_FIELDS)
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


class _Row:
    """One row being read: its cells, where it is, and how to report a problem in it."""

    __slots__ = ("_t", "cells", "line")

    def __init__(self, table: _Table, line: int, cells: list[str]) -> None:
        self._t = table
        self.line = line
        self.cells = cells

    def get(self, col: str) -> str:
        """The cell of a canonical column, "" when missing."""
        i = self._t.index.get(col)
        return self.cells[i] if i is not None and i < len(self.cells) else ""

    def column(self, col: str) -> str:
        """How problems name a canonical column (the header as the file writes it)."""
        return self._t.display.get(col, col)

    def problem(self, col: str, message: str) -> None:
        """Report a problem in this row's cell of ``col`` ("" for the row as a whole)."""
        self._t.reg.problem(self._t.file, self.line, self.column(col) if col else "", message)

    def need(self, col: str) -> str | None:
        """A required cell's value, or None (and a problem unless the header lacks the column)."""
        value = self.get(col)
        if value:
            return value
        if col not in self._t.silent:
            self.problem(col, "required value is missing")
        return None

    def enum(self, col: str, enum: type[E], required: bool = True) -> E | None:
        """The member a cell names (English, Chinese or rank), or None and a problem."""
        text = self.need(col) if required else self.get(col)
        if not text:
            return None
        try:
            return parse_enum(enum, text)
        except ValueError as e:
            self.problem(col, str(e))
            return None

    def date(self, col: str) -> tuple[bool, date | None]:
        """A date cell: (True, the date or None when empty), or (False, None) and a problem."""
        text = self.get(col)
        if not text:
            return True, None
        try:
            return True, parse_date(text)
        except ValueError as e:
            self.problem(col, str(e))
            return False, None

    def props(self) -> dict[str, Scalar]:
        """The extra columns of this row (kept as text properties)."""
        cells, n = self.cells, len(self.cells)
        return {name: cells[i] for i, name in self._t.extras if i < n and cells[i]}

    def ref(self, col: str, ref_id: str, expect: Expect) -> None:
        """Check a reference column."""
        self._t.reg.ref(ref_id, expect, self._t.file, self.line, self.column(col))


class _Table:
    """A Source being read as one of the six tables."""

    def __init__(self, table: str, source: Source, reg: Registry, header: Header) -> None:
        self.table = table
        self.file = source.file
        self.reg = reg
        self.index = header.index
        self.display = header.display
        self.extras = header.extras
        self.width = header.width
        #: required columns the header lacks: reported once at the header, not on every row
        self.silent: set[str] = set()
        self.named = set(header.index.values()) | {i for i, _ in header.extras}
        self._unheaded: set[int] = set()

    @property
    def ragged(self) -> bool:
        """True if some column inside the header has no name (rows must be checked)."""
        return len(self.named) < self.width

    def check_width(self, row: _Row) -> None:
        """Report a value in a column without a header (once per column)."""
        cells, named = row.cells, self.named
        for i in range(len(cells)):
            if cells[i] and i not in named and i not in self._unheaded:
                self._unheaded.add(i)
                row.problem("", f"column {column_letter(i)}: value {cells[i]!r} has no header")


def read_table(
    table: str, source: Source, reg: Registry, display: dict[str, str] | None = None
) -> int:
    """Read every row of ``source`` as ``table`` into ``reg``; returns how many rows were read.

    ``display`` overrides how columns are named in problems (ledgers name their own columns).
    """
    header = resolve_header(table, source.header)
    for i, text, message in header.problems:
        reg.problem(source.file, source.line_of_column(i), text, message)
    t = _Table(table, source, reg, header)
    if display:
        t.display = {**t.display, **display}
    for col in REQUIRED[table]:
        if col not in header.index and source.header_line is not None:
            t.silent.add(col)
            reg.problem(source.file, source.header_line, col, "required column is missing")
    build = _BUILDERS[table]
    ragged, width = t.ragged, header.width
    count = 0
    for line, cells in source.rows:
        row = _Row(t, line, cells)
        if ragged or len(cells) > width:
            t.check_width(row)
        build(row, reg)
        count += 1
    reg.problems.extend(source.problems)
    return count


def _node(
    row: _Row, reg: Registry, label: Label, kind: str | None, props: dict[str, Scalar]
) -> str | None:
    """Register the row's node; its id if it was new (so its reference columns may follow)."""
    node_id = row.need("id")
    name = row.need("name")
    if node_id is None:
        return None
    node = make_node(node_id, label, name or "", kind, props, row._t.file, row.line)
    return node_id if reg.add_node(node, row.column("id")) else None


def _parent(row: _Row, reg: Registry, child: str, expect: Expect) -> None:
    parent = row.get("parent_id")
    if not parent:
        return
    row.ref("parent_id", parent, expect)
    reg.add_parent(child, parent, row._t.file, row.line, row.column("parent_id"))
    reg.add_relation(make_relation(child, RelType.PART_OF, parent, row._t.file, row.line))


_EXPECT = {label: Expect(label) for label in Label}
_ROAD = Expect(Label.PLACE, kind=PlaceKind.ROAD.value)
_GRID_PARENT = {
    lvl: Expect(Label.GRID, level=lvl.parent_level) for lvl in GridLevel if lvl.parent_level
}


def _grid(row: _Row, reg: Registry) -> None:
    level = row.enum("level", GridLevel)
    props = row.props()
    if code := row.get("code"):
        props["code"] = code
    grid_id = _node(row, reg, Label.GRID, level.value if level else None, props)
    if grid_id is None:
        return
    parent = row.get("parent_id")
    if level is GridLevel.STREET and parent:
        row.problem("parent_id", f"a street grid has no parent, got {parent}")
        return
    if level is not None and level is not GridLevel.STREET and not parent:
        up = level.parent_level.value if level.parent_level else ""
        row.problem("parent_id", f"missing: a {level.value} grid needs a {up} grid as parent")
        return
    expect = _GRID_PARENT.get(level) if level else None
    _parent(row, reg, grid_id, expect or _EXPECT[Label.GRID])


def _place(row: _Row, reg: Registry) -> None:
    kind = row.enum("kind", PlaceKind)
    props = row.props()
    if address := row.get("address"):
        props["address"] = address
    if aliases := row.get("aliases"):
        props["aliases"] = split_aliases(aliases)
    if road := row.get("road_id"):
        props["road_id"] = road
        row.ref("road_id", road, _ROAD)
    place_id = _node(row, reg, Label.PLACE, kind.value if kind else None, props)
    if place_id is None:
        return
    if grid := row.get("grid_id"):
        row.ref("grid_id", grid, _EXPECT[Label.GRID])
        reg.add_relation(make_relation(grid, RelType.COVERS, place_id, row._t.file, row.line))
    _parent(row, reg, place_id, _EXPECT[Label.PLACE])


def _org(row: _Row, reg: Registry) -> None:
    kind = row.enum("kind", OrgKind)
    props = row.props()
    if place := row.get("place_id"):
        props["place_id"] = place
        row.ref("place_id", place, _EXPECT[Label.PLACE])
    org_id = _node(row, reg, Label.ORG, kind.value if kind else None, props)
    if org_id is None:
        return
    if grid := row.get("grid_id"):
        row.ref("grid_id", grid, _EXPECT[Label.GRID])
        reg.add_relation(make_relation(org_id, RelType.LEADS, grid, row._t.file, row.line))
    _parent(row, reg, org_id, _EXPECT[Label.ORG])


def _person(row: _Row, reg: Registry) -> None:
    props = row.props()
    if member := row.get("party_member"):
        try:
            props["party_member"] = parse_bool(member)
        except ValueError as e:
            row.problem("party_member", str(e))
    if phone := row.get("phone"):
        props["phone"] = phone
    _node(row, reg, Label.PERSON, None, props)


def _project(row: _Row, reg: Registry) -> None:
    level = row.enum("level", ProjectLevel)
    props = row.props()
    if status := row.get("status"):
        props["status"] = status
    if grid := row.get("grid_id"):
        props["grid_id"] = grid
        row.ref("grid_id", grid, _EXPECT[Label.GRID])
    _, start = row.date("start")
    _, end = row.date("end")
    if start:
        props["start"] = start.isoformat()
    if end:
        props["end"] = end.isoformat()
        if start and end < start:
            row.problem("end", f"{end.isoformat()} is before start {start.isoformat()}")
    project_id = _node(row, reg, Label.PROJECT, level.value if level else None, props)
    if project_id is not None and (lead := row.get("lead_id")):
        row.ref("lead_id", lead, _EXPECT[Label.ORG])
        reg.add_relation(make_relation(lead, RelType.LEADS, project_id, row._t.file, row.line))


def _relation(row: _Row, reg: Registry) -> None:
    file, line = row._t.file, row.line
    source_id, target_id = row.need("source_id"), row.need("target_id")
    rel_type = row.enum("type", RelType)
    role = row.get("role") or None
    ok_from, valid_from = row.date("valid_from")
    ok_to, valid_to = row.date("valid_to")
    ok = ok_from and ok_to
    if valid_from and valid_to and valid_to < valid_from:
        row.problem("valid_to", f"{valid_to} is before valid_from {valid_from}")
        ok = False
    if rel_type is RelType.HOLDS and not role:
        row.problem("role", "missing: HOLDS needs a role (e.g. 楼组长)")
        ok = False
    source = reg.endpoint(source_id, file, line, row.column("source_id")) if source_id else None
    target = reg.endpoint(target_id, file, line, row.column("target_id")) if target_id else None
    if not (source_id and target_id and rel_type and ok):
        return
    props = row.props()
    if note := row.get("note"):
        props["note"] = note
    rel = make_relation(
        source_id, rel_type, target_id, file, line, role, valid_from, valid_to, props
    )
    if source is not None and target is not None:
        why = rel.allowed_between(source.label, target.label)
        if why:
            row.problem("type", why)
            return
    reg.add_relation(rel)


_BUILDERS: dict[str, Callable[[_Row, Registry], None]] = {
    "grids": _grid,
    "places": _place,
    "orgs": _org,
    "people": _person,
    "projects": _project,
    "relations": _relation,
}
