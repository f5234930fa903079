"""What a typed address says, once parsed: :class:`Address` and its :class:`Hint` prefixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Address", "Hint", "HintLevel"]

HintLevel = Literal["city", "district", "subdistrict", "community"]


@dataclass(frozen=True)
class Hint:
    """A place named before (or after) the address proper: 静安区, 共和新路街道, 嘉利居委会.

    ``core`` is the name without its level word (静安, 共和新路, 嘉利); for a Latin query it is
    pinyin (jingan). A hint must agree with the building found, or nothing is found.
    """

    level: HintLevel
    core: str


@dataclass(frozen=True)
class Address:
    """A typed address, parsed (see :mod:`shanzhi.address` for the grammar).

    ``road`` keeps its full suffix (中山北一路, 沪太支路); ``house`` is a 号 standing right after
    the road before a building number (共和新路2288号12号楼: maybe the lane, typed as 号);
    ``place`` is an estate or building name (嘉利明珠城); ``numbers`` are building numbers —
    more than one, or ``several`` set, means the query names several buildings and is never
    answered with one. ``loose`` is a number written 12楼 with no building number: a floor or,
    colloquially, building 12 — never read as a building for sure. With ``latin`` set, ``road``
    and ``place`` are pinyin (jialimingzhucheng, jlmzc, gonghexinlu), not characters.
    """

    raw: str
    key: str
    road: str | None = None
    lane: str | None = None
    sublane: str | None = None
    house: str | None = None
    place: str | None = None
    numbers: tuple[str, ...] = ()
    unit: str | None = None
    door: str | None = None
    floor: str | None = None
    room: str | None = None
    loose: str | None = None
    postcode: str | None = None
    landmark: str | None = None
    hints: tuple[Hint, ...] = field(default=())
    latin: bool = False
    several: bool = False
    relative: str | None = None
    rest: str = ""

    @property
    def number(self) -> str | None:
        """The building number when exactly one is named."""
        return self.numbers[0] if len(self.numbers) == 1 else None

    @property
    def names(self) -> tuple[str, ...]:
        """The road and the place texts named, nearest to the building last."""
        return tuple(t for t in (self.road, self.place) if t)
