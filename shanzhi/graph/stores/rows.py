"""The shapes of the stores' read answers (the facts each question is built from).

Both stores return exactly these shapes; :mod:`shanzhi.graph.stores.interface` says which read
returns which.
"""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    "AuditRows",
    "BuildingParent",
    "BuildingRow",
    "CircleLink",
    "CircleMember",
    "CircleRow",
    "Facts",
    "StatsCounts",
]


class BuildingParent(TypedDict, total=False):
    """A place a building is PART_OF (directly or further up), as the finder reads it."""

    name: str | None
    aliases: Any
    kind: str | None


class BuildingRow(TypedDict):
    """A building as the finder reads it: from ``building_rows`` its direct parents; from
    ``building_candidates`` (the lookup entries of :mod:`shanzhi.graph.stores.lookup`) every
    place ancestor, nearest first, with its kind."""

    uid: str
    id: str | None
    dataset: str | None
    name: str | None
    address: str | None
    aliases: Any
    parents: list[BuildingParent]


#: The facts around one building on one day (``cypher/who_covers.cypher``): ``building``,
#: ``ancestry`` (places up PART_OF with the grids covering them and the orgs serving them),
#: ``grids`` (up PART_OF with their orgs, post holders, liaisons, partners), ``place_holders``,
#: ``road`` and ``road_holders``. :func:`shanzhi.graph.queries.who_covers.assemble` reads it.
Facts = dict[str, Any]

#: Gap kind → rows (``cypher/audit_*.cypher``), shaped by :mod:`shanzhi.graph.queries.audit`.
AuditRows = dict[str, list[dict[str, Any]]]


class CircleMember(TypedDict):
    """A node of a circle: a block, a member, or what links two members."""

    uid: str
    id: str
    name: str
    label: str
    kind: str | None


class CircleLink(TypedDict):
    """One link between two members: ``partners``, a shared ``project`` or a ``holder``."""

    a: str
    b: str
    via: str
    through: CircleMember | None


class CircleRow(TypedDict):
    """One block's 善治朋友圈 (``cypher/circle.cypher``)."""

    block: CircleMember
    members: list[CircleMember]
    links: list[CircleLink]


class StatsCounts(TypedDict):
    """Counts for ``shanzhi stats``: nodes by ``Label:kind``, relations by type and by
    ``TYPE→Label:kind`` of their target, and the dataset names."""

    nodes_by_kind: dict[str, int]
    relations_by_type: dict[str, int]
    relations_by_target: dict[str, int]
    datasets: list[str]
