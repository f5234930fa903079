"""The fan-outs of a synthetic street, calibrated on the 共和新路 sample and on city scale.

One street has 4 blocks and ~26 residential areas as the sample does. Buildings per residential
area are drawn from 10–20 (the sample's estates are larger) so that 240 streets — a city of
16 districts — come to 1.0–1.2 million nodes; everything else follows the sample's ratios
(a 楼管小组 of 5–9 members per building, 2–5 branch blocks per residential area, a 善治朋友圈
of 15–40 partners per block, 10 district-level projects per street, monthly 路长 rotations).

>>> SHAPE.blocks, SHAPE.group_members
(4, (5, 9))
>>> len(MONTHS), MONTHS[0], MONTHS[-1]
(48, ('2023-01-01', '2023-01-31'), ('2026-12-01', '2026-12-31'))
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

__all__ = ["MONTHS", "REFERENCE_DATE", "SHAPE", "VACANT_SINCE", "Shape"]

Range = tuple[int, int]


@dataclass(frozen=True)
class Shape:
    """Inclusive (low, high) ranges of every fan-out of a street; fixed counts as ints."""

    blocks: int = 4
    communities: Range = (23, 29)
    estates: Range = (2, 4)
    buildings: Range = (10, 20)
    branches: Range = (2, 5)
    group_members: Range = (5, 9)
    party_seats: Range = (2, 3)
    merchants: Range = (5, 12)
    new_economic_orgs: Range = (2, 6)
    new_social_orgs: Range = (2, 5)
    stationed_units: Range = (2, 4)
    volunteer_teams: Range = (1, 3)
    volunteers: Range = (3, 10)
    parks: Range = (1, 2)
    roads_per_block: Range = (2, 4)
    road_rota: Range = (4, 8)
    project_participants: Range = (3, 8)
    grassroots_projects: Range = (4, 8)
    micro_projects: Range = (0, 2)
    district_projects: int = 10
    city_projects: int = 1
    shared_holder_share: float = 0.15
    second_block_share: float = 0.10
    replaced_leader_share: float = 0.12
    streets_per_district: int = 15

    @property
    def circle(self) -> Range:
        """Bounds of a block's 善治朋友圈 (partner organisations plus volunteers)."""
        parts = (
            self.merchants,
            self.new_economic_orgs,
            self.new_social_orgs,
            self.stationed_units,
            self.volunteer_teams,
            self.volunteers,
        )
        return sum(p[0] for p in parts), sum(p[1] for p in parts)


SHAPE = Shape()

#: The date the planted gaps are stated for (GAPS.json); vacant posts are empty from VACANT_SINCE.
REFERENCE_DATE = date(2026, 6, 30)
VACANT_SINCE = date(2025, 7, 1)


def _months(first_year: int, last_year: int) -> list[tuple[str, str]]:
    out = []
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            out.append((f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}"))
    return out


#: The monthly 路长 duty periods, 2023-01-01 .. 2026-12-31, as ISO (first day, last day).
MONTHS: tuple[tuple[str, str], ...] = tuple(_months(2023, 2026))
