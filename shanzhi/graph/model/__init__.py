"""The domain model (docs/DOMAIN.md), defined once: the vocabulary (:mod:`.kinds`: labels,
kinds, relation types and the rules of which labels each relation joins, checked at import) and the
validated records (:mod:`.records`: ``Node``, ``Relation``). :mod:`.dataset` holds a whole dataset.

>>> GridLevel.parse("居民区网格"), GridLevel.parse("3"), GridLevel.COMMUNITY.rank
(<GridLevel.COMMUNITY: 'community'>, <GridLevel.COMMUNITY: 'community'>, 3)
>>> RelType.parse("任职")
<RelType.HOLDS: 'HOLDS'>
"""

from typing import TYPE_CHECKING, Any

from shanzhi.graph.model.kinds import (
    DERIVED_ONLY,
    RELATION_RULES,
    GridLevel,
    Label,
    OrgKind,
    PlaceKind,
    ProjectLevel,
    RelType,
    Scalar,
    check_model,
    kind_enum,
)

if TYPE_CHECKING:
    from shanzhi.graph.model.records import Node, Provenance, Relation

#: The validated records need pydantic: they are imported when first asked for, so a command
#: that only reads the store (and the vocabulary) never loads it.
_RECORDS = ("Node", "Provenance", "Relation")


def __getattr__(name: str) -> Any:
    if name in _RECORDS:
        from shanzhi.graph.model import records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DERIVED_ONLY",
    "RELATION_RULES",
    "GridLevel",
    "Label",
    "Node",
    "OrgKind",
    "PlaceKind",
    "ProjectLevel",
    "Provenance",
    "RelType",
    "Relation",
    "Scalar",
    "check_model",
    "kind_enum",
]
