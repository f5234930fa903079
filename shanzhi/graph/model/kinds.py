"""The vocabulary of the domain model (docs/DOMAIN.md), defined once: labels, kinds, relations.

Node labels, their kinds/levels (with the Chinese names people use), relation types and the
rules of which labels each relation may join. The rules are checked when this module is
imported (``check_model``) and whenever a relation is built (``Relation`` validates itself).

>>> GridLevel.parse("居民区网格"), GridLevel.parse("3"), GridLevel.COMMUNITY.rank
(<GridLevel.COMMUNITY: 'community'>, <GridLevel.COMMUNITY: 'community'>, 3)
>>> RelType.parse("任职")
<RelType.HOLDS: 'HOLDS'>
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from shanzhi.errors import ModelError

__all__ = [
    "DERIVED_ONLY",
    "RELATION_RULES",
    "GridLevel",
    "Label",
    "OrgKind",
    "PlaceKind",
    "ProjectLevel",
    "RelType",
    "Scalar",
    "check_model",
    "kind_enum",
]

Scalar = str | int | float | bool | list[str] | None


class _Vocabulary(StrEnum):
    """An enum whose members also answer to Chinese names (``_ZH``) and, if ranked, 1..n."""

    @property
    def zh(self) -> str:
        """The first Chinese name of this member."""
        return self._zh_names()[self.value][0]

    @classmethod
    def _zh_names(cls) -> dict[str, tuple[str, ...]]:
        return _ZH_NAMES.get(cls.__name__, {})

    @classmethod
    def parse(cls, text: str) -> Self:
        """The member named by ``text`` (English value, Chinese name or rank), else ValueError."""
        t = text.strip()
        for member in cls:
            if t.lower() == member.value.lower() or t in cls._zh_names().get(member.value, ()):
                return member
        if cls is GridLevel and t.isdigit() and 1 <= int(t) <= len(GridLevel):
            return list(cls)[int(t) - 1]
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"unknown {cls._what()} {text!r} (expected one of {allowed})")

    @classmethod
    def _what(cls) -> str:
        return _WHAT.get(cls.__name__, cls.__name__)


class Label(_Vocabulary):
    """The five node labels."""

    GRID = "Grid"
    PLACE = "Place"
    ORG = "Org"
    PERSON = "Person"
    PROJECT = "Project"


class GridLevel(_Vocabulary):
    """The five-level grid (五级网格), street at the top."""

    STREET = "street"
    BLOCK = "block"
    COMMUNITY = "community"
    BRANCH = "branch"
    BUILDING = "building"

    @property
    def rank(self) -> int:
        """1 for street … 5 for building."""
        return list(GridLevel).index(self) + 1

    @property
    def parent_level(self) -> GridLevel | None:
        """The level exactly one up, or None for the street grid."""
        return None if self.rank == 1 else list(GridLevel)[self.rank - 2]


class PlaceKind(_Vocabulary):
    """Kinds of place, from the whole subdistrict down to one building."""

    SUBDISTRICT = "subdistrict"
    BLOCK = "block"
    COMMUNITY = "community"
    ESTATE = "estate"
    BUILDING = "building"
    PARK = "park"
    ROAD = "road"
    OTHER = "other"


class OrgKind(_Vocabulary):
    """Kinds of organisation (DOMAIN.md), plus council, volunteer_team and other."""

    PARTY_WORKING_COMMITTEE = "party_working_committee"
    PARTY_COMMITTEE = "party_committee"
    PARTY_GENERAL_BRANCH = "party_general_branch"
    PARTY_BRANCH = "party_branch"
    PARTY_GROUP = "party_group"
    RESIDENTS_COMMITTEE = "residents_committee"
    BLOCK_COMMITTEE = "block_committee"
    BUILDING_MANAGEMENT_GROUP = "building_management_group"
    WORKSTATION = "workstation"
    GOVERNMENT_DEPARTMENT = "government_department"
    MERCHANT = "merchant"
    NEW_ECONOMIC_ORG = "new_economic_org"
    NEW_SOCIAL_ORG = "new_social_org"
    STATIONED_UNIT = "stationed_unit"
    COUNCIL = "council"
    VOLUNTEER_TEAM = "volunteer_team"
    OTHER = "other"

    @property
    def is_party(self) -> bool:
        """True for the five kinds of party organisation."""
        return self.value.startswith("party_")


class ProjectLevel(_Vocabulary):
    """Project levels of the 个十百 / 十百千 matrices."""

    CITY = "city"
    DISTRICT = "district"
    GRASSROOTS = "grassroots"
    MICRO = "micro"


class RelType(_Vocabulary):
    """The ten relation types. ``LOCATED_IN`` is only derived, from a record's place column
    (``orgs.place_id``, ``projects.grid_id``, ``places.road_id``): see :data:`DERIVED_ONLY`."""

    LEADS = "LEADS"
    SERVES = "SERVES"
    PARTNERS = "PARTNERS"
    PART_OF = "PART_OF"
    COVERS = "COVERS"
    MEMBER_OF = "MEMBER_OF"
    HOLDS = "HOLDS"
    LIAISES = "LIAISES"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    LOCATED_IN = "LOCATED_IN"


_ZH_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "Label": {
        "Grid": ("网格",),
        "Place": ("地点",),
        "Org": ("组织",),
        "Person": ("人员",),
        "Project": ("项目",),
    },
    "GridLevel": {
        "street": ("街道总网格", "街道网格", "街道"),
        "block": ("街区网格", "街区"),
        "community": ("居民区网格", "居民区"),
        "branch": ("党支部带楼群网格", "支部网格", "支部块"),
        "building": ("党小组和楼组网格", "楼组网格", "楼组"),
    },
    "PlaceKind": {
        "subdistrict": ("街道",),
        "block": ("街区",),
        "community": ("居民区",),
        "estate": ("小区",),
        "building": ("楼栋", "楼", "幢", "栋"),
        "park": ("园区", "楼宇园区"),
        "road": ("道路", "路"),
        "other": ("其他",),
    },
    "OrgKind": {
        "party_working_committee": ("党工委", "街道党工委"),
        "party_committee": ("党委",),
        "party_general_branch": ("党总支",),
        "party_branch": ("党支部",),
        "party_group": ("党小组",),
        "residents_committee": ("居委会", "居民委员会"),
        "block_committee": ("街区委员会",),
        "building_management_group": ("楼管小组", "楼管组"),
        "workstation": ("街区工作站", "工作站"),
        "government_department": ("职能部门",),
        "merchant": ("商户",),
        "new_economic_org": ("新经济组织",),
        "new_social_org": ("新社会组织",),
        "stationed_unit": ("驻区单位",),
        "council": ("议事会", "圆桌议事会"),
        "volunteer_team": ("志愿者队伍", "志愿服务队"),
        "other": ("其他",),
    },
    "ProjectLevel": {
        "city": ("市级",),
        "district": ("区级",),
        "grassroots": ("基层", "基层党组织品牌"),
        "micro": ("微项目", "网格微项目"),
    },
    "RelType": {
        "LEADS": ("领导", "引领"),
        "SERVES": ("服务",),
        "PARTNERS": ("结对", "共建", "朋友圈"),
        "PART_OF": ("隶属", "下辖"),
        "COVERS": ("覆盖", "包干"),
        "MEMBER_OF": ("成员",),
        "HOLDS": ("任职",),
        "LIAISES": ("联系",),
        "PARTICIPATES_IN": ("参与", "参与项目"),
        "LOCATED_IN": ("位于", "所在"),
    },
}
_WHAT = {
    "GridLevel": "level",
    "ProjectLevel": "level",
    "PlaceKind": "kind",
    "OrgKind": "kind",
    "RelType": "relation type",
    "Label": "label",
}


_KIND_ENUMS: dict[Label, type[_Vocabulary] | None] = {
    Label.GRID: GridLevel,
    Label.PLACE: PlaceKind,
    Label.ORG: OrgKind,
    Label.PERSON: None,
    Label.PROJECT: ProjectLevel,
}


def kind_enum(label: Label) -> type[_Vocabulary] | None:
    """The enum of a label's ``kind`` property (grids and projects call it ``level``)."""
    return _KIND_ENUMS[label]


_G, _P, _O, _H, _J = Label.GRID, Label.PLACE, Label.ORG, Label.PERSON, Label.PROJECT
#: Which labels each relation may join: (allowed sources, allowed targets), plus pairs that must
#: share a label (PART_OF joins like with like).
RELATION_RULES: dict[RelType, tuple[frozenset[Label], frozenset[Label]]] = {
    RelType.LEADS: (frozenset({_O}), frozenset({_G, _O, _J})),
    RelType.SERVES: (frozenset({_O, _H}), frozenset({_P, _G, _O})),
    RelType.PARTNERS: (frozenset({_O, _H}), frozenset({_O, _H, _G})),
    RelType.PART_OF: (frozenset({_G, _P, _O, _J}), frozenset({_G, _P, _O, _J})),
    RelType.COVERS: (frozenset({_G}), frozenset({_P})),
    RelType.MEMBER_OF: (frozenset({_H, _O}), frozenset({_O})),
    RelType.HOLDS: (frozenset({_H}), frozenset({_G, _O, _P, _J})),
    RelType.LIAISES: (frozenset({_H, _O}), frozenset({_O, _G})),
    RelType.PARTICIPATES_IN: (frozenset({_O, _H}), frozenset({_J})),
    # Org → Place (place_id), Project → Grid (grid_id), Place → road Place (road_id)
    RelType.LOCATED_IN: (frozenset({_O, _J, _P}), frozenset({_P, _G})),
}
SAME_LABEL_ONLY = frozenset({RelType.PART_OF})
ROLE_REQUIRED = frozenset({RelType.HOLDS})
#: Relations only a record's own column gives, never a row of relations.csv: the column stays on
#: the node beside the relation (who-covers reads ``road_id``), so a row could only contradict it.
DERIVED_ONLY: dict[RelType, str] = {
    RelType.LOCATED_IN: "orgs.place_id, projects.grid_id, places.road_id",
}


def check_model() -> None:
    """Fail at import if the model is inconsistent (every type has a rule, kinds have names)."""
    missing = set(RelType) - set(RELATION_RULES)
    if missing:
        raise ModelError(f"relation types without a rule: {sorted(missing)}")
    for enum in (GridLevel, PlaceKind, OrgKind, ProjectLevel, RelType, Label):
        unnamed = [m.value for m in enum if m.value not in enum._zh_names()]
        if unnamed:
            raise ModelError(f"{enum.__name__} members without a Chinese name: {unnamed}")
    if [lvl.rank for lvl in GridLevel] != [1, 2, 3, 4, 5]:
        raise ModelError("grid levels must be ranked 1..5 from street to building")


check_model()
