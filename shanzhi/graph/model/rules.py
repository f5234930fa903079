"""The rules the questions share with the stores that answer them: when a relation counts, how far
the hierarchies are climbed, which posts a grid needs, and who is a block's own governance.

They are domain rules, not store code: each store's reads apply them (the Cypher library gets them
as parameters), and the question modules (``graph/queries``, ``graph/analytics``) document them.

>>> valid_on({"valid_to": "2025-06-30"}, "2025-07-01"), valid_on({}, "2025-07-01")
(False, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shanzhi.graph.model.kinds import GridLevel, Label, OrgKind, PlaceKind, RelType

__all__ = [
    "BLOCK_CHIEF",
    "BLOCK_CHIEFS",
    "GAP_KINDS",
    "GOVERN_RELS",
    "GRID_CHIEF",
    "HOLDER_RELS",
    "LAPSE_TARGETS",
    "LEADER",
    "MAX_GRID_CLIMB",
    "MAX_PLACE_CLIMB",
    "OWN_KINDS",
    "PARTY_KINDS",
    "PROJECT_RELS",
    "REQUIRED_POSTS",
    "ROAD_CHIEF",
    "SECOND",
    "valid_on",
]


def valid_on(props: Mapping[str, Any], on: str) -> bool:
    """True if a relation's ``valid_from``/``valid_to`` (ISO text, may be absent) hold ``on``."""
    start, end = props.get("valid_from"), props.get("valid_to")
    return (start is None or start <= on) and (end is None or on <= end)


# -- who covers --------------------------------------------------------------------------------
#: How far the place hierarchy and the grid hierarchy are climbed (the Cypher uses the same).
MAX_PLACE_CLIMB = 8
MAX_GRID_CLIMB = 4

# -- audit -------------------------------------------------------------------------------------
#: The keys of ``audit --json`` (docs/cli.md), in order.
GAP_KINDS = (
    "uncovered_buildings",
    "unled_grids",
    "groups_without_party_member",
    "branches_without_liaison",
    "vacant_posts",
)
LEADER, SECOND = "楼组长", "第二楼组长"
GRID_CHIEF, BLOCK_CHIEF, ROAD_CHIEF = "网格长", "街区长", "路长"
BLOCK_CHIEFS = 2
#: (label, level or kind) → the posts it needs and how many holders each.
REQUIRED_POSTS: dict[tuple[Label, str], tuple[tuple[str, int], ...]] = {
    (Label.GRID, GridLevel.BUILDING.value): ((LEADER, 1),),
    (Label.GRID, GridLevel.BLOCK.value): ((GRID_CHIEF, 1), (BLOCK_CHIEF, BLOCK_CHIEFS)),
    (Label.PLACE, PlaceKind.ROAD.value): ((ROAD_CHIEF, 1),),
}
#: Kinds of party organisation (what may lead a grid).
PARTY_KINDS = [k.value for k in OrgKind if k.is_party]
#: Labels on which a post held once and held by nobody now is a lapsed post.
LAPSE_TARGETS = frozenset({Label.GRID.value, Label.ORG.value, Label.PLACE.value})

# -- the 善治朋友圈 ----------------------------------------------------------------------------
#: Kinds of organisation that are the block's own (its party organisations and workstation).
OWN_KINDS: frozenset[OrgKind] = frozenset(
    {kind for kind in OrgKind if kind.is_party} | {OrgKind.WORKSTATION}
)
#: Relations by which an actor takes part in a project.
PROJECT_RELS: frozenset[RelType] = frozenset({RelType.PARTICIPATES_IN, RelType.LEADS})
#: Relations by which a person holds a post in (or belongs to) an organisation.
HOLDER_RELS: frozenset[RelType] = frozenset({RelType.HOLDS, RelType.MEMBER_OF})
#: Relations by which an organisation governs a grid (what makes a party body the block's own).
GOVERN_RELS: frozenset[RelType] = frozenset({RelType.LEADS, RelType.SERVES})
