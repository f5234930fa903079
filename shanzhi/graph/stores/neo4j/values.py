"""Values between the model and Neo4j: dates held as Neo4j ``Date``, answers as plain data.

The model keeps dates as ISO text (and its fingerprints hash that text). Neo4j holds the
properties the model declares as dates — every relation's ``valid_from``/``valid_to``, a
project's ``start``/``end`` — as ``Date``, so ``h.valid_from <= date()`` and ``Date``
parameters work from any client (cypher-shell, the JavaScript driver, Neo4j Browser). What
comes back is plain data again: temporal values as ISO text, nodes, relationships and paths as
maps (what a JSON answer, a table cell or the snapshot compared with the embedded store needs).

>>> row = {"valid_from": "2025-07-01", "role": "楼组长"}
>>> to_neo4j(row, RELATION_DATES)
{'valid_from': datetime.date(2025, 7, 1), 'role': '楼组长'}
>>> from neo4j.time import Date
>>> plain({"on": Date(2025, 7, 1), "days": [1, Date(2026, 1, 1)]})
{'on': '2025-07-01', 'days': [1, '2026-01-01']}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from datetime import date
from functools import cache
from typing import Any

from shanzhi.graph.model import Label

__all__ = ["NODE_DATES", "RELATION_DATES", "dates_of", "plain", "plain_rows", "to_neo4j"]

#: Node properties held as Neo4j Date, by model label (the loaders parse them as dates).
NODE_DATES: dict[str, tuple[str, ...]] = {Label.PROJECT.value: ("start", "end")}
#: Relation properties held as Neo4j Date (``Relation.valid_from`` / ``valid_to``).
RELATION_DATES: tuple[str, ...] = ("valid_from", "valid_to")

_SCALARS = (str, int, float, bool, type(None))


def dates_of(label: str) -> tuple[str, ...]:
    """The properties of a node of this label held as dates."""
    return NODE_DATES.get(label, ())


def to_neo4j(props: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The property map to write: the ISO dates among ``names`` as ``datetime.date`` (which the
    driver sends as Neo4j Date); text that is no ISO date is kept as it is."""
    out = dict(props)
    for name in names:
        value = out.get(name)
        if isinstance(value, str):
            with suppress(ValueError):
                out[name] = date.fromisoformat(value)
    return out


@cache
def _driver_types() -> tuple[Any, Any, Any]:
    """The driver's graph, spatial and temporal modules (imported once, on first need)."""
    from neo4j import graph, spatial, time

    return graph, spatial, time


def _entity(value: Any) -> dict[str, Any]:
    ng = _driver_types()[0]
    props = {k: plain(v) for k, v in value.items()}
    if isinstance(value, ng.Node):
        return {"element_id": value.element_id, "labels": sorted(value.labels), "properties": props}
    start, end = value.start_node, value.end_node
    return {
        "element_id": value.element_id,
        "type": value.type,
        "start": start.element_id if start is not None else None,
        "end": end.element_id if end is not None else None,
        "properties": props,
    }


def plain(value: Any) -> Any:
    """A driver value as plain data: temporal values as ISO text, points as maps, a node as
    ``{element_id, labels, properties}``, a relationship as ``{element_id, type, start, end,
    properties}`` (its ends' element ids), a path as ``{nodes, relationships}``.

    Only the driver makes the values that are not plain data, so it is imported by then.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if kind is dict:  # a property map: the commonest value that is not a scalar
        return {k: plain(v) for k, v in value.items()}
    ng, spatial, time = _driver_types()
    if isinstance(value, ng.Node | ng.Relationship):  # before Mapping: they are mappings too
        return _entity(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, time.Date | time.DateTime | time.Time | time.Duration):
        return value.iso_format()
    if isinstance(value, ng.Path):
        return {
            "nodes": [_entity(n) for n in value.nodes],
            "relationships": [_entity(r) for r in value.relationships],
        }
    if isinstance(value, spatial.Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, bytes | bytearray):
        return value.hex()
    return value


def plain_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows of values as plain data; a row of scalars only (most rows) is kept as it is."""
    return [
        row if all(type(v) in _SCALARS for v in row) else [plain(v) for v in row] for row in rows
    ]
