"""How each kind of node looks: a legend group with a Chinese name, a colour and a shape.

Grids are boxes in blues (darker is higher), party organisations red diamonds, other governance
bodies orange triangles, the partners of a 善治朋友圈 green hexagons, people dots (party members
red-brown), places teal squares, projects purple stars. The shapes are vis-network's names; the
SVG writer draws the same ones.

>>> group_of("Grid", {"level": "block"}).zh, group_of("Org", {"kind": "party_branch"}).shape
('街区网格', 'diamond')
>>> group_of("Person", {"party_member": True}).key
'person_party'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shanzhi.graph.model import GridLevel, OrgKind, PlaceKind, ProjectLevel, RelType

__all__ = [
    "FONT_FAMILY",
    "GROUPS",
    "Group",
    "group_of",
    "kind_zh",
    "rel_zh",
    "text_width",
]

#: CSS font stack for every label: Noto Sans CJK SC (Debian's fonts-noto-cjk) first.
FONT_FAMILY = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
)


@dataclass(frozen=True)
class Group:
    """One legend entry."""

    key: str
    zh: str
    color: str
    shape: str
    font_color: str = "#1f2933"

    @property
    def label_inside(self) -> bool:
        """True for shapes that hold their label (box); others carry it underneath."""
        return self.shape == "box"


_GRID_BLUES = {
    GridLevel.STREET: "#1e3a5f",
    GridLevel.BLOCK: "#2c5282",
    GridLevel.COMMUNITY: "#2b6cb0",
    GridLevel.BRANCH: "#4a90d9",
    GridLevel.BUILDING: "#9cc7f0",
}
GROUPS: dict[str, Group] = {
    **{
        f"grid_{lvl.value}": Group(
            f"grid_{lvl.value}",
            lvl.zh,
            color,
            "box",
            "#ffffff" if lvl != GridLevel.BUILDING else "#10253f",
        )
        for lvl, color in _GRID_BLUES.items()
    },
    "grid_missing": Group("grid_missing", "缺失的网格", "#e4e7eb", "box", "#52606d"),
    "party_org": Group("party_org", "党组织", "#d62728", "diamond"),
    "governance_org": Group("governance_org", "居委会·楼管小组等", "#f28e2b", "triangle"),
    "partner_org": Group("partner_org", "商户·两新组织·驻区单位", "#2ca02c", "hexagon"),
    "other_org": Group("other_org", "其他组织", "#8c8c8c", "triangle"),
    "person_party": Group("person_party", "人员（党员）", "#b5532a", "dot"),
    "person": Group("person", "人员", "#7f8fa6", "dot"),
    "place_building": Group("place_building", "楼栋", "#17a2b8", "square"),
    "place_road": Group("place_road", "道路", "#5f9ea0", "triangleDown"),
    "place": Group("place", "地点", "#20c997", "square"),
    "project": Group("project", "项目", "#8e44ad", "star"),
}
_GOVERNANCE = {
    OrgKind.RESIDENTS_COMMITTEE,
    OrgKind.BLOCK_COMMITTEE,
    OrgKind.BUILDING_MANAGEMENT_GROUP,
    OrgKind.WORKSTATION,
    OrgKind.GOVERNMENT_DEPARTMENT,
    OrgKind.COUNCIL,
}
_PARTNERS = {
    OrgKind.MERCHANT,
    OrgKind.NEW_ECONOMIC_ORG,
    OrgKind.NEW_SOCIAL_ORG,
    OrgKind.STATIONED_UNIT,
    OrgKind.VOLUNTEER_TEAM,
}


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"true", "1", "是", "yes"}


def group_of(label: str, props: Mapping[str, Any]) -> Group:
    """The legend group of a node with this label and these stored properties."""
    if label == "Grid":
        return GROUPS.get(f"grid_{props.get('level')}", GROUPS["grid_building"])
    if label == "Person":
        return GROUPS["person_party" if _truthy(props.get("party_member")) else "person"]
    if label == "Project":
        return GROUPS["project"]
    kind = str(props.get("kind", ""))
    if label == "Org":
        if kind.startswith("party_"):
            return GROUPS["party_org"]
        if kind in _GOVERNANCE:
            return GROUPS["governance_org"]
        return GROUPS["partner_org" if kind in _PARTNERS else "other_org"]
    if kind == PlaceKind.BUILDING:
        return GROUPS["place_building"]
    return GROUPS["place_road" if kind == PlaceKind.ROAD else "place"]


def kind_zh(label: str, props: Mapping[str, Any]) -> str:
    """The Chinese name of a node's kind or level (e.g. 党支部, 街区网格, 人员)."""
    enums: dict[str, Any] = {
        "Grid": GridLevel,
        "Org": OrgKind,
        "Place": PlaceKind,
        "Project": ProjectLevel,
    }
    enum = enums.get(label)
    value = props.get("level" if label in ("Grid", "Project") else "kind")
    if enum is None or value is None:
        return {"Person": "人员"}.get(label, label)
    try:
        text = str(enum(value).zh)
    except ValueError:
        return str(value)
    return f"{text}项目" if label == "Project" else text


def rel_zh(rel_type: str) -> str:
    """The Chinese name of a relation type (领导, 覆盖, 任职 …)."""
    try:
        return RelType(rel_type).zh
    except ValueError:
        return rel_type


def text_width(text: str, font_px: float) -> float:
    """Approximate rendered width: CJK and full-width characters 1 em, the rest about 0.6 em."""
    wide = sum(1 for ch in text if ord(ch) > 0x2E7F)
    return (wide + 0.6 * (len(text) - wide)) * font_px
