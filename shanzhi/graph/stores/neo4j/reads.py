"""The Neo4j store's reads: each question's facts from one query of the Cypher library.

The same facts, in the same shapes, as the embedded store's reads; the queries are the analysts'
own ``shanzhi/cypher/*.cypher`` files (so ``shanzhi cypher run who_covers`` shows exactly what
the program asks), given the model's rules as parameters. Only this module and ``cypher.py`` (the
store's writes and schema) send Cypher.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from shanzhi.graph.model import GridLevel, OrgKind, PlaceKind
from shanzhi.graph.model.rules import (
    BLOCK_CHIEF,
    BLOCK_CHIEFS,
    GRID_CHIEF,
    LEADER,
    PARTY_KINDS,
    ROAD_CHIEF,
)
from shanzhi.graph.stores.interface import (
    AuditRows,
    BuildingRow,
    CircleRow,
    CypherTarget,
    Facts,
    StatsCounts,
)
from shanzhi.graph.stores.neo4j.cypher import CENTRALITY_SCHEMA, WRITE_RUN
from shanzhi.graph.stores.neo4j.lookup import candidates

__all__ = ["Neo4jReads"]


class Neo4jReads:
    """The reads of :class:`~shanzhi.graph.stores.interface.GraphStore` over the query library."""

    keeps_centrality: ClassVar[bool] = True

    if TYPE_CHECKING:  # the store's own, in store.py

        def _read(self, text: str, params: dict[str, Any]) -> list[dict[str, Any]]: ...

        def query(
            self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
        ) -> list[dict[str, Any]]: ...

    def run_read_query(
        self, name: str, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Run a query of the library (``shanzhi/cypher/NAME.cypher``) in a READ transaction.

        Over the store's Bolt reader: library queries return plain values in the columns their
        header names (the meta-test checks both; dates come back as ISO text), which is all the
        reader reads.
        """
        from shanzhi.cypher import query

        return self._read(query(name).text, params or {})

    def building_rows(self) -> list[BuildingRow]:
        """Every building (``who_covers_candidates.cypher``)."""
        rows = self.run_read_query("who_covers_candidates", {"kind": PlaceKind.BUILDING.value})
        return [dict(r) for r in rows]  # type: ignore[misc]

    def building_candidates(self, keys: Sequence[str], limit: int) -> list[BuildingRow]:
        """The rows of the buildings having any of ``keys``, from the full-text key index."""
        return candidates(self._read, keys, limit)

    def who_covers_facts(self, uid: str, on: str) -> Facts | None:
        """The facts around a building, in one round trip (``who_covers.cypher``)."""
        rows = self.run_read_query("who_covers", {"building_uid": uid, "on": on})
        return dict(rows[0]) if rows else None

    def who_covers_facts_many(self, asks: Sequence[tuple[str, str]]) -> list[Facts | None]:
        """:meth:`who_covers_facts` of each (building uid, ISO day), in order: one round trip
        each, over a kept connection."""
        return [self.who_covers_facts(uid, on) for uid, on in asks]

    def audit_rows(self, on: str) -> AuditRows:
        """One library query per gap kind (``audit_*.cypher``)."""
        run = self.run_read_query
        return {
            "uncovered_buildings": run(
                "audit_uncovered_buildings", {"on": on, "building_kind": PlaceKind.BUILDING.value}
            ),
            "unled_grids": run("audit_unled_grids", {"on": on, "party_kinds": PARTY_KINDS}),
            "groups_without_party_member": run(
                "audit_groups_without_party_member",
                {"on": on, "group_kind": OrgKind.BUILDING_MANAGEMENT_GROUP.value},
            ),
            "branches_without_liaison": run(
                "audit_branches_without_liaison",
                {
                    "on": on,
                    "branch_kind": OrgKind.PARTY_BRANCH.value,
                    "branch_level": GridLevel.BRANCH.value,
                },
            ),
            "vacant_posts": run(
                "audit_vacant_posts",
                {
                    "on": on,
                    "building_level": GridLevel.BUILDING.value,
                    "block_level": GridLevel.BLOCK.value,
                    "road_kind": PlaceKind.ROAD.value,
                    "leader_role": LEADER,
                    "grid_chief_role": GRID_CHIEF,
                    "block_chief_role": BLOCK_CHIEF,
                    "block_chiefs": BLOCK_CHIEFS,
                    "road_chief_role": ROAD_CHIEF,
                },
            ),
        }

    def circle_rows(self, block: str | None, own_kinds: Sequence[str]) -> list[CircleRow]:
        """The circles of the matching block grids in one query (``circle.cypher``)."""
        params = {"block": block and block.strip(), "own_kinds": sorted(own_kinds)}
        return [dict(r) for r in self.run_read_query("circle", params)]  # type: ignore[misc]

    def stats_counts(self, dataset: str | None) -> StatsCounts:
        """Counts from the count store and the indexes (``stats.cypher``)."""
        rows = self.run_read_query("stats", {"dataset": dataset})

        def of(what: str) -> dict[str, int]:
            return {r["key"]: r["n"] for r in rows if r["what"] == what}

        return {
            "nodes_by_kind": of("node"),
            "relations_by_type": of("relation"),
            "relations_by_target": of("relation_target"),
            "datasets": sorted({r["key"] for r in rows if r["what"] == "dataset"}),
        }

    def cypher_target(self) -> CypherTarget:
        """Neo4j runs the analysts' Cypher itself."""
        return self  # type: ignore[return-value]

    def write_centrality(self, run: dict[str, Any], ran_at: str, rows: list[dict[str, Any]]) -> int:
        """One run node and a SCORED relationship per member still in the graph."""
        for statement in CENTRALITY_SCHEMA:
            self.query(statement, write=True)
        (row,) = self.query(WRITE_RUN, {"run": run, "ran_at": ran_at, "rows": rows}, write=True)
        return int(row["written"])
