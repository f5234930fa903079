"""Rows to nodes and relations: one builder per table of records.md, problems per cell.

``read_table(table, source, registry)`` turns every row of a ``Source`` into a node (and the
relations its reference columns give) or a relation (:mod:`.relation_rows`), checks each cell
(:class:`~shanzhi.loaders.table.Table`), and hands cross-record checks to the ``Registry``.
Nothing is dropped: a row with a problem is reported, and the dataset as a whole is refused.

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
pydantic's per-object validation (:mod:`.construct`): every value was checked here first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shanzhi.graph.model import GridLevel, Label, OrgKind, PlaceKind, ProjectLevel, RelType
from shanzhi.loaders.checks import Expect, Registry
from shanzhi.loaders.headers import REQUIRED, resolve_header
from shanzhi.loaders.journal import Kept, row_digest
from shanzhi.loaders.phones import parse_phone
from shanzhi.loaders.readers import Source
from shanzhi.loaders.relation_rows import relations
from shanzhi.loaders.table import Builder, Table
from shanzhi.loaders.values import parse_bool, split_aliases

__all__ = ["builder_of", "read_table", "table_of"]

_SELF_ROAD = "一条道路不能临它自己 (a road cannot face itself)"
_EXPECT = {label: Expect(label) for label in Label}
_ROAD = Expect(Label.PLACE, kind=PlaceKind.ROAD.value)
_GRID_PARENT = {
    lvl.value: Expect(Label.GRID, level=lvl.parent_level) for lvl in GridLevel if lvl.parent_level
}
_STREET = GridLevel.STREET.value
_PARENT_LEVEL = {lvl.value: lvl.parent_level.value for lvl in GridLevel if lvl.parent_level}


def _grids(t: Table) -> Builder:
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


def _places(t: Table) -> Builder:
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


def _orgs(t: Table) -> Builder:
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


def _people(t: Table) -> Builder:
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


def _projects(t: Table) -> Builder:
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


_BUILDERS: dict[str, Callable[[Table], Builder]] = {
    "grids": _grids,
    "places": _places,
    "orgs": _orgs,
    "people": _people,
    "projects": _projects,
    "relations": relations,
}


def read_table(
    table: str,
    source: Source,
    reg: Registry,
    display: dict[str, str] | None = None,
    keep: Kept | None = None,
) -> int:
    """Read every row of ``source`` as ``table`` into ``reg``; returns how many rows were read.

    ``display`` overrides how columns are named in problems (ledgers name their own columns).
    ``keep``: a list that gets, for every row, its line, digest and what it registered
    (``Registry.journal``), for the row memo (:mod:`shanzhi.loaders.memo`).
    """
    t = table_of(table, source, reg, display)
    build, fit, scan = _BUILDERS[table](t), t.fit, t.scan
    count = 0
    if keep is None:
        for line, cells in source.rows:
            row = fit(line, cells)
            scan(line, row)
            build(line, row)
            count += 1
    else:
        try:
            for line, cells in source.rows:
                digest = row_digest(line, cells)  # before ``fit``, which may append to it
                journal: list[tuple[Any, ...]] = []
                reg.journal = journal
                row = fit(line, cells)
                scan(line, row)
                build(line, row)
                keep.append((line, digest, journal))
                count += 1
        finally:
            reg.journal = None
    reg.problems.extend(source.problems)
    reg.notes.extend(source.notes)
    reg.incomplete = reg.incomplete or not source.complete
    return count


def table_of(
    table: str, source: Source, reg: Registry, display: dict[str, str] | None = None
) -> Table:
    """The :class:`Table` that reads ``source`` as ``table``, its header's problems reported."""
    header = resolve_header(table, source.header)
    for i, text, message in header.problems:
        reg.problem(source.file, source.line_of_column(i), text, message)
    t = Table(table, source, reg, header, display or {})
    for col in REQUIRED[table]:
        if col not in header.index and source.header_line is not None:
            t.silent.add(col)
            reg.problem(source.file, source.header_line, col, "required column is missing")
    return t


def builder_of(t: Table) -> Builder:
    """What reads one row of ``t``'s table."""
    return _BUILDERS[t.table](t)
