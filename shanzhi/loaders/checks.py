"""Cross-record checks: unique ids, references, grid levels, parent cycles, duplicate relations.

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

from dataclasses import dataclass

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

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.relations: list[Relation] = []
        self.problems: list[Problem] = []
        #: child id → parent id, for grids, places and orgs (cycle check)
        self.parents: dict[str, str] = {}
        self._parent_columns: dict[str, str] = {}  # file → how it names parent_id
        self._rel_keys: dict[str, Relation] = {}
        #: True once a table could not be read to its end: then an unknown id is not reported,
        #: as it may well be in the part that could not be read
        self.incomplete = False
        self._deferred: list[_Ref] = []

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
        return True

    def unknown(self, ref_id: str, file: str, line: int, column: str) -> None:
        """Report a reference to an id no record has."""
        if not self.incomplete:
            self.problem(file, line, column, f"no record has id {ref_id}")

    def add_parent(self, child: str, parent: str, column: str) -> None:
        """Remember a ``parent_id`` link (of a registered node) for the cycle check."""
        self.parents[child] = parent
        self._parent_columns.setdefault(self.nodes[child].provenance.file, column)

    def ref(self, ref_id: str, expect: Expect, file: str, line: int, column: str) -> None:
        """Check that ``ref_id`` names a node as expected, now or (if unknown yet) at the end."""
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
        for ref_id, expect, file, line, column in self._deferred:
            self._check(ref_id, expect, file, line, column, final=True)
        self._deferred.clear()
        self._rel_keys.clear()
        self._cycles()

    def _cycles(self) -> None:
        done: set[str] = set()
        for start in self.parents:
            path: dict[str, int] = {}
            node: str | None = start
            while node is not None and node not in done and node not in path:
                path[node] = len(path)
                node = self.parents.get(node)
            if node is not None and node in path:
                self._report_cycle(list(path)[path[node] :])
            done.update(path)

    def _report_cycle(self, members: list[str]) -> None:
        where = [self.nodes[m].provenance for m in members]
        first = min(range(len(members)), key=lambda i: (where[i].file, where[i].line))
        ring = members[first:] + members[:first]
        shown = ring[:_MAX_CYCLE_SHOWN]
        more = f" → … ({len(ring)} records)" if len(ring) > _MAX_CYCLE_SHOWN else f" → {ring[0]}"
        file, line = where[first].file, where[first].line
        self.problem(file, line, self._parent_columns[file], "cycle " + " → ".join(shown) + more)
