"""The expected routing of a ticket, worked out from the dataset's records alone (helpers only).

This is an independent reading of the default rules (data/gonghexinlu/routing.yaml) over the
canonical records — who HOLDS which role on which grid, road or organisation on a given day —
without the finder, who-covers or the router: a ticket of 楼道堆物 goes to the 楼组长 and
第二楼组长 of the building's grid with its 楼管小组, 占道经营 to the 路长 on duty for the
building's road, 物业维修 to the 居委主任 of the community's 居委会, anything else to the 网格长
of the nearest grid; each falls back as the rules file says.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset

__all__ = ["Expected", "World"]

LEVELS = ("building", "branch", "community", "block", "street")


@dataclass(frozen=True)
class Expected:
    """What routing a ticket must give (for ``routed``: where and to whom)."""

    status: str
    building: str = ""
    level: str = ""
    grid: str = ""
    people: tuple[tuple[str, str], ...] = ()
    orgs: tuple[str, ...] = ()
    region: str = ""


class World:
    """The nodes and relations of some datasets, keyed by uid ``dataset:id``."""

    def __init__(self, *datasets: Dataset) -> None:
        self.nodes: dict[str, Any] = {}
        self.out: dict[str, list[Any]] = defaultdict(list)
        self.into: dict[str, list[Any]] = defaultdict(list)
        for ds in datasets:
            for n in ds.nodes:
                self.nodes[f"{ds.name}:{n.id}"] = n
            for r in ds.relations:
                s, t = f"{ds.name}:{r.source_id}", f"{ds.name}:{r.target_id}"
                self.out[s].append((r, t))
                self.into[t].append((r, s))
        self.datasets = {ds.name: ds for ds in datasets}

    def buildings(self) -> list[str]:
        """Uids of every building, in a stable order."""
        return sorted(
            u for u, n in self.nodes.items() if n.label == Label.PLACE and n.kind == "building"
        )

    @staticmethod
    def _on(r: Any, day: date) -> bool:
        return (r.valid_from is None or r.valid_from <= day) and (
            r.valid_to is None or day <= r.valid_to
        )

    def _sources(self, uid: str, rtype: RelType, label: Label, day: date) -> list[str]:
        return sorted(
            s
            for r, s in self.into[uid]
            if r.type == rtype and self.nodes[s].label == label and self._on(r, day)
        )

    def _targets(self, uid: str, rtype: RelType, label: Label, day: date) -> list[str]:
        return sorted(
            t
            for r, t in self.out[uid]
            if r.type == rtype and self.nodes[t].label == label and self._on(r, day)
        )

    def holders(self, uid: str, role: str, day: date) -> list[str]:
        """Persons holding ``role`` on ``uid`` that day."""
        return sorted(
            s
            for r, s in self.into[uid]
            if r.type == RelType.HOLDS and r.role == role and self._on(r, day)
        )

    def grid_chain(self, building: str, day: date) -> dict[str, str]:
        """Level → grid uid: the grid covering the building or its nearest covered ancestor
        place (most specific level first), then up the grids' PART_OF."""
        frontier, seen = [building], {building}
        entry = None
        while frontier and entry is None:
            covering = [
                g for p in frontier for g in self._sources(p, RelType.COVERS, Label.GRID, day)
            ]
            if covering:
                entry = min(covering, key=lambda g: (-LEVELS[::-1].index(self.nodes[g].kind), g))
                break
            nxt = []
            for p in frontier:
                for t in self._targets(p, RelType.PART_OF, Label.PLACE, day):
                    if t not in seen:
                        seen.add(t)
                        nxt.append(t)
            frontier = nxt
        chain: dict[str, str] = {}
        grid = entry
        while grid is not None and self.nodes[grid].kind not in chain:
            chain[self.nodes[grid].kind] = grid
            ups = self._targets(grid, RelType.PART_OF, Label.GRID, day)
            grid = ups[0] if ups else None
        return chain

    def road(self, building: str) -> str | None:
        """The road of the building, or of its nearest ancestor place naming one."""
        place: str | None = building
        while place is not None:
            road = self.nodes[place].props.get("road_id")
            if road:
                return f"{place.split(':', 1)[0]}:{road}"
            ups = [t for r, t in self.out[place] if r.type == RelType.PART_OF]
            place = min(ups) if ups else None
        return None

    def _leading(self, grid: str, day: date) -> list[str]:
        return self._sources(grid, RelType.LEADS, Label.ORG, day)

    def _people(self, pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple((str(self.nodes[p].name), role) for p, role in pairs)

    def _at(self, targets: list[str], roles: tuple[str, ...], day: date) -> list[tuple[str, str]]:
        """(person, role) of these roles on any of these targets, by role then person id."""
        found: dict[tuple[str, str], None] = {}
        for role in roles:
            for p in sorted({h for t in targets for h in self.holders(t, role, day)},
                            key=lambda u: self.nodes[u].id):  # fmt: skip
                found[(p, role)] = None
        return list(found)

    def _level_targets(self, building: str, grid: str, level: str, day: date) -> list[str]:
        """Where a post at this level may be held: the grid, the orgs leading or serving it,
        and at the building level the building and the groups serving it."""
        out = [
            grid,
            *self._leading(grid, day),
            *self._sources(grid, RelType.SERVES, Label.ORG, day),
        ]
        if level == "building":
            out += [building, *self._sources(building, RelType.SERVES, Label.ORG, day)]
        return out

    def expected(self, building: str, category: str, day: date) -> Expected:
        """The routed answer for a ticket of ``category`` (a rule name) at ``building``."""
        chain = self.grid_chain(building, day)
        bid = str(self.nodes[building].id)

        def at(level: str, roles: tuple[str, ...], org_kind: str | None = None) -> Expected | None:
            grid = chain.get(level)
            if grid is None:
                return None
            targets = self._level_targets(building, grid, level, day)
            if level == "building" and "路长" in roles:
                road = self.road(building)
                targets = [road] if road else []
            people = self._at(targets, roles, day)
            if not people:
                return None
            if org_kind:
                cands = set(
                    self._leading(grid, day) + self._sources(grid, RelType.SERVES, Label.ORG, day)
                )
                if level == "building":
                    cands |= set(self._sources(building, RelType.SERVES, Label.ORG, day))
                orgs = sorted(
                    str(self.nodes[o].name) for o in cands if self.nodes[o].kind == org_kind
                )
            else:
                orgs = sorted(str(self.nodes[o].name) for o in self._leading(grid, day))
            return Expected(
                "routed", bid, level, str(self.nodes[grid].id), self._people(people), tuple(orgs)
            )

        def nearest(roles: tuple[str, ...]) -> Expected | None:
            for level in LEVELS:
                if (e := at(level, roles)) is not None:
                    return e
            return None

        group = "building_management_group"
        tries = {
            "楼道堆物": [lambda: at("building", ("楼组长", "第二楼组长"), group),
                      lambda: nearest(("网格长",))],
            "占道经营": [lambda: at("building", ("路长",)), lambda: at("block", ("街区长",))],
            "物业维修": [lambda: at("community", ("居委主任",), "residents_committee"),
                      lambda: at("community", ("网格长", "书记"))],
        }.get(category, [lambda: nearest(("网格长",))])  # fmt: skip
        for attempt in tries:
            if (e := attempt()) is not None:
                return e
        return Expected("routed", bid)
