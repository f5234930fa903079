"""What one street is written with: its random streams, its skeleton and the planted gaps.

A :class:`Writer` draws a street's skeleton (how many residential areas, estates, buildings and
branch blocks) from the street's own random stream, then the gaps to plant from a second one;
the modules of each level (``street``, ``block``, ``community``, ``building``) write through it.
Gap decisions never change what is drawn from the main stream, so with ``gaps=False`` the same
seed gives the same dataset minus the planted gaps.

>>> day(0), day(31)
('2023-01-01', '2023-02-01')
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from shanzhi.synth.gaps import GapPlan, GapRecord
from shanzhi.synth.names import fake_phone, person_name
from shanzhi.synth.shape import REFERENCE_DATE
from shanzhi.synth.sink import Sink

if TYPE_CHECKING:
    from shanzhi.synth.street import StreetPlan

__all__ = ["EPOCH", "Block", "Community", "Writer", "day", "pick", "split"]

EPOCH = date(2023, 1, 1)


def day(offset: int) -> str:
    """The ISO date ``offset`` days after :data:`EPOCH`."""
    return (EPOCH + timedelta(days=offset)).isoformat()


def split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` items in ``parts`` non-empty contiguous runs."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def pick(rng: random.Random, bounds: tuple[int, int]) -> int:
    """A number within a shape's inclusive ``(low, high)``."""
    return rng.randint(bounds[0], bounds[1])


@dataclass
class Community:
    """The skeleton of a residential area: how its buildings split into estates and branches."""

    index: int
    block: int
    estate_sizes: list[int]
    branch_sizes: list[int]

    @property
    def buildings(self) -> int:
        return sum(self.estate_sizes)


@dataclass
class Block:
    """What the communities of a block need from it while they are written."""

    id: str
    partners: list[str] = field(default_factory=list)
    roads: list[tuple[str, str]] = field(default_factory=list)


class Writer:
    """One street being written: where it goes, its streams, skeleton, gaps and blocks so far."""

    def __init__(self, sink: Sink, plan: StreetPlan, record: GapRecord) -> None:
        self.sink = sink
        self.plan = plan
        self.shape = plan.shape
        self.record = record
        self.rng = random.Random(f"shanzhi-synth/{plan.seed}/{plan.id}")
        self.gap_rng = random.Random(f"shanzhi-synth/{plan.seed}/{plan.id}/gaps")
        self.sid = plan.id
        self.code = f"99{plan.district:04d}{plan.street:03d}000"
        self.blocks: list[Block] = []
        self.lanes: set[tuple[str, int]] = set()
        self.estate_names: list[str] = []
        self.communities = self._skeleton()
        self.gaps = self._gap_plan() if plan.gaps else GapPlan.none()

    def _skeleton(self) -> list[Community]:
        rng, shape = self.rng, self.shape
        n = pick(rng, shape.communities)
        out = []
        for i in range(n):
            buildings = pick(rng, shape.buildings)
            estates = min(pick(rng, shape.estates), buildings)
            branches = max(1, min(pick(rng, shape.branches), buildings // 2))
            out.append(
                Community(
                    index=i + 1,
                    block=i * shape.blocks // n + 1,
                    estate_sizes=split(rng, buildings, estates),
                    branch_sizes=split(rng, buildings, branches),
                )
            )
        return out

    def _gap_plan(self) -> GapPlan:
        buildings = [(c.index, k) for c in self.communities for k in range(1, c.buildings + 1)]
        branches = [
            (c.index, j) for c in self.communities for j in range(1, len(c.branch_sizes) + 1)
        ]
        return GapPlan.draw(self.gap_rng, buildings, branches, per_kind=1)

    def person(
        self, id_: str, party: bool = False, rng: random.Random | None = None, write: bool = True
    ) -> str:
        """Draw a person (always, so the random stream does not depend on gaps); write if asked."""
        r = rng or self.rng
        name, phone = person_name(r), fake_phone(r)
        if write:
            self.sink.person(id_, name, party, phone)
        return id_

    def cid(self, c: Community) -> str:
        """The id prefix of a residential area."""
        return f"{self.sid}-B{c.block}-C{c.index:02d}"

    def project(self, pid: str, name: str, level: str, lead: str, grid: str) -> None:
        """A project of ``level`` led by ``lead`` on ``grid``, over a drawn span of days."""
        start = self.rng.randrange(0, 3 * 365)
        end = start + self.rng.randint(180, 720)
        status = "已完成" if EPOCH + timedelta(days=end) < REFERENCE_DATE else "进行中"
        self.sink.project(pid, name, level, lead, grid, status, day(start), day(end))
