"""Cross-record checks: unique ids, references, grid levels, PART_OF cycles, duplicate relations.

A cycle may run through ``parent_id`` columns and PART_OF rows of relations.csv alike; each
strongly connected group of records is reported once, at the link with the first FILE:LINE.

``Registry`` collects nodes and relations as the tables are read and checks each reference as
soon as the id it names is known; references to ids not read yet wait until ``finish``. It never
stops at the first problem: everything wrong is collected in ``problems``.

>>> from shanzhi.graph.model import Provenance
>>> reg = Registry()
>>> reg.ref("G-9", Expect(Label.GRID), "places.csv", 4, "grid_id")
>>> reg.finish()
>>> [str(p) for p in reg.problems]
['places.csv:4: grid_id: no record has id G-9']
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from shanzhi.errors import Problem
from shanzhi.graph.model import GridLevel, Label, Node, Relation

__all__ = ["Expect", "Registry"]

_MAX_CYCLE_SHOWN = 8


@dataclass(frozen=True)
class Expect:
    """What a reference must point to: a label, and for roads or grid parents a kind/level."""

    label: Label | None = None
    kind: str | None = None
    #: for a grid's parent: the level one up from the child's
    level: GridLevel | None = None


_Ref = tuple[str, Expect, str, int, str]


def _a(noun: str) -> str:
    """The noun with its indefinite article: "an Org", "a Grid"."""
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"


class Registry:
    """Every node and relation read so far, and the problems found across records."""

    def __init__(
        self,
        nodes: MutableMapping[str, Node] | None = None,
        relation_keys: MutableMapping[str, Relation] | None = None,
    ) -> None:
        #: every node by id (a read of only what changed gives a view over the memo's too)
        self.nodes: MutableMapping[str, Node] = {} if nodes is None else nodes
        self.relations: list[Relation] = []
        self.problems: list[Problem] = []
        #: child id → parent id, for grids, places and orgs (cycle check)
        self.parents: dict[str, str] = {}
        self._parent_columns: dict[str, str] = {}  # file → how it names parent_id
        self._rel_keys: MutableMapping[str, Relation] = (
            {} if relation_keys is None else relation_keys
        )
        #: True once a table could not be read to its end: then an unknown id is not reported,
        #: as it may well be in the part that could not be read
        self.incomplete = False
        self._deferred: list[_Ref] = []
        #: PART_OF rows of relations tables: (child, parent, file, line, column)
        self._part_of: list[tuple[str, str, str, int, str]] = []
        #: what was left out on purpose (hidden rows, skipped totals): said, not a problem
        self.notes: list[Problem] = []
        #: when a list, every registration is also written to it: what each row registered, for
        #: the row memo (:mod:`shanzhi.loaders.memo`)
        self.journal: list[tuple[Any, ...]] | None = None

    def problem(self, file: str, line: int, column: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(file, line, column, message))

    def add_node(self, node: Node, column: str) -> bool:
        """Register a node; False (and a problem) if its id is taken."""
        first = self.nodes.get(node.id)
        if first is not None:
            where = f"{first.provenance.file}:{first.provenance.line}"
            p = node.provenance
            self.problem(p.file, p.line, column, f"{node.id} is already used at {where}")
            return False
        self.nodes[node.id] = node
        if self.journal is not None:
            self.journal.append(("node", node, column))
        return True

    def add_relation(self, rel: Relation, key: str, column: str = "") -> bool:
        """Register a relation (``key`` is ``rel.key``); False and a problem if the key is taken."""
        first = self._rel_keys.get(key)
        if first is not None:
            role = f" ({rel.role})" if rel.role else ""
            since = f" from {rel.valid_from.isoformat()}" if rel.valid_from else ""
            p = rel.provenance
            self.problem(
                p.file,
                p.line,
                column,
                f"{rel.type.value} {rel.source_id} → {rel.target_id}{role}{since} "
                f"is already given at {first.provenance.file}:{first.provenance.line}",
            )
            return False
        self._rel_keys[key] = rel
        self.relations.append(rel)
        if self.journal is not None:
            self.journal.append(("relation", rel, key, column))
        return True

    def unknown(self, ref_id: str, file: str, line: int, column: str) -> None:
        """Report a reference to an id no record has."""
        if not self.incomplete:
            self.problem(file, line, column, f"no record has id {ref_id}")

    def add_parent(self, child: str, parent: str, column: str) -> None:
        """Remember a ``parent_id`` link (of a registered node) for the cycle check."""
        self.parents[child] = parent
        self._parent_columns.setdefault(self.nodes[child].provenance.file, column)
        if self.journal is not None:
            self.journal.append(("parent", child, parent, column))

    def add_part_of(self, child: str, parent: str, file: str, line: int, column: str) -> None:
        """Remember a PART_OF row of a relations table for the cycle check."""
        self._part_of.append((child, parent, file, line, column))
        if self.journal is not None:
            self.journal.append(("part_of", child, parent, file, line, column))

    def ref(self, ref_id: str, expect: Expect, file: str, line: int, column: str) -> None:
        """Check that ``ref_id`` names a node as expected, now or (if unknown yet) at the end."""
        if self.journal is not None:
            self.journal.append(("ref", ref_id, expect, file, line, column))
        if ref_id in self.nodes:
            self._check(ref_id, expect, file, line, column, final=False)
        else:
            self._deferred.append((ref_id, expect, file, line, column))

    def _check(
        self, ref_id: str, expect: Expect, file: str, line: int, column: str, final: bool
    ) -> None:
        node = self.nodes.get(ref_id)
        if node is None:
            if final:
                self.unknown(ref_id, file, line, column)
            return
        if expect.label is not None and node.label != expect.label:
            msg = f"{ref_id} is {_a(node.label.value)}, expected {_a(expect.label.value)}"
        elif expect.kind is not None and node.kind != expect.kind:
            label = node.label.value
            msg = (
                f"{ref_id} is {_a(f'{node.kind} {label}')}, expected {_a(f'{expect.kind} {label}')}"
            )
        elif expect.level is not None and node.kind is not None and node.kind != expect.level:
            msg = (
                f"grid {ref_id} is at level {node.kind}, expected {expect.level.value} "
                "(one level up)"
            )
        else:
            return
        self.problem(file, line, column, msg)

    def finish(self) -> None:
        """Check the references that waited for later records, then look for parent cycles."""
        self.check_deferred()
        self._rel_keys.clear()
        self._cycles()

    def check_deferred(self) -> None:
        """Check the references that waited for later records (an unknown id is a problem)."""
        for ref_id, expect, file, line, column in self._deferred:
            self._check(ref_id, expect, file, line, column, final=True)
        self._deferred.clear()

    def recheck(self, ref_id: str, expect: Expect, file: str, line: int, column: str) -> None:
        """Check a reference again, now (a record it names was changed or removed)."""
        self._check(ref_id, expect, file, line, column, final=True)

    def _edges(self) -> dict[str, list[tuple[str, str, int, str]]]:
        """child → [(parent, file, line, column)] over parent_id columns and PART_OF rows."""
        edges: dict[str, list[tuple[str, str, int, str]]] = {}
        for child, parent in self.parents.items():
            p = self.nodes[child].provenance
            edges[child] = [(parent, p.file, p.line, self._parent_columns[p.file])]
        for child, parent, file, line, column in self._part_of:
            edges.setdefault(child, []).append((parent, file, line, column))
        for out in edges.values():
            out.sort(key=lambda e: (e[1], e[2]))
        return edges

    def _cycles(self) -> None:
        edges = self._edges()
        for group in _strong_groups(edges):
            self._report_cycle(group, edges)

    def _report_cycle(
        self, group: set[str], edges: dict[str, list[tuple[str, str, int, str]]]
    ) -> None:
        inner = {c: [e for e in edges[c] if e[0] in group] for c in group}
        start = min(group, key=lambda c: inner[c][0][1:3])
        path: dict[str, int] = {}
        node = start
        while node not in path:  # every member has a link inside the group: this closes
            path[node] = len(path)
            node = inner[node][0][0]
        ring = list(path)[path[node] :]
        first = min(range(len(ring)), key=lambda i: inner[ring[i]][0][1:3])
        ring = ring[first:] + ring[:first]
        _, file, line, column = inner[ring[0]][0]
        shown = ring[:_MAX_CYCLE_SHOWN]
        more = f" → … ({len(ring)} records)" if len(ring) > _MAX_CYCLE_SHOWN else f" → {ring[0]}"
        self.problem(file, line, column, "cycle " + " → ".join(shown) + more)


def _strong_groups(edges: dict[str, list[tuple[str, str, int, str]]]) -> list[set[str]]:
    """The groups of records that reach each other (Tarjan, iterative), larger than one record
    or linked to themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            out = edges.get(node, [])
            if i < len(out):
                work.append((node, i + 1))
                nxt = out[i][0]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work and (parent := work[-1][0]) != node:
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1 or any(e[0] == node for e in edges.get(node, [])):
                    groups.append(group)
    return groups
