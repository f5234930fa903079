"""Planted coverage gaps: which buildings and branches of a street are left wanting, and the
record of them that goes into GAPS.json so a test can check the audit finds exactly these.

The kinds are named as in ``shanzhi audit --json`` (docs/cli.md). Gap targets are drawn from their
own random stream, so a dataset with gaps and one without differ only in the planted entities.

>>> import random
>>> plan = GapPlan.draw(random.Random(0), [(1, k) for k in range(1, 9)], [(1, 1), (1, 2)], 1)
>>> len(plan.buildings), len(plan.branches)
(4, 2)
>>> GapPlan.none().uncovered
frozenset()
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["GAP_KINDS", "GapPlan", "GapRecord"]

#: The audit's gap kinds (docs/cli.md), in the order GAPS.json lists them.
GAP_KINDS = (
    "uncovered_buildings",
    "unled_grids",
    "groups_without_party_member",
    "branches_without_liaison",
    "vacant_posts",
)

Slot = tuple[int, int]


@dataclass(frozen=True)
class GapPlan:
    """The (community, building) and (community, branch) slots of one street that get a gap."""

    uncovered: frozenset[Slot] = frozenset()
    unled_building: frozenset[Slot] = frozenset()
    no_party_member: frozenset[Slot] = frozenset()
    vacant: frozenset[Slot] = frozenset()
    unled_branch: frozenset[Slot] = frozenset()
    no_liaison: frozenset[Slot] = frozenset()

    @classmethod
    def none(cls) -> GapPlan:
        """No gaps at all."""
        return cls()

    @classmethod
    def draw(
        cls, rng: random.Random, buildings: list[Slot], branches: list[Slot], per_kind: int
    ) -> GapPlan:
        """``per_kind`` gaps of each kind on distinct buildings / branches of a street."""
        b = rng.sample(buildings, 4 * per_kind)
        r = rng.sample(branches, 2 * per_kind)
        n = per_kind
        return cls(
            uncovered=frozenset(b[:n]),
            unled_building=frozenset(b[n : 2 * n]),
            no_party_member=frozenset(b[2 * n : 3 * n]),
            vacant=frozenset(b[3 * n :]),
            unled_branch=frozenset(r[:n]),
            no_liaison=frozenset(r[n:]),
        )

    @property
    def buildings(self) -> frozenset[Slot]:
        """Every building slot with a gap."""
        return self.uncovered | self.unled_building | self.no_party_member | self.vacant

    @property
    def branches(self) -> frozenset[Slot]:
        """Every branch slot with a gap."""
        return self.unled_branch | self.no_liaison


@dataclass
class GapRecord:
    """The planted gaps as written, by audit kind: lists of {"id", "name", ...}."""

    found: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {kind: [] for kind in GAP_KINDS}
    )

    def add(self, kind: str, id_: str, name: str, **extra: str) -> None:
        """Record one planted gap."""
        self.found[kind].append({"id": id_, "name": name, **extra})

    def counts(self) -> dict[str, int]:
        """How many gaps of each kind."""
        return {kind: len(items) for kind, items in self.found.items()}
