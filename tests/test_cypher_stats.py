"""stats.cypher spells out the model's labels and relation types (for the count store and the
label/kind indexes): it must name every one of them, and each label with the property its kind
is kept in, so that the file cannot drift from shanzhi.graph.model. Its rows are checked on the
sample by tests/test_cypher_library.py and against the embedded store by tests/test_cli.py."""

from __future__ import annotations

import re

from shanzhi.cypher import query
from shanzhi.graph.model import Label, Node, Provenance, RelType, kind_enum

TEXT = "\n".join(line.split("//", 1)[0] for line in query("stats").text.splitlines())
TYPES = {t.value for t in RelType}


def _kind_property(label: Label) -> str | None:
    """The property a node of that label keeps its kind in (as the store writes it)."""
    enum = kind_enum(label)
    kind = None if enum is None else next(iter(enum)).value
    node = Node(id="x", label=label, name="x", kind=kind, provenance=Provenance(file="f", line=1))
    found = [k for k in ("level", "kind") if k in node.properties()]
    return found[0] if found else None


def test_every_type_alternation_names_every_relation_type() -> None:
    alternations = re.findall(r"\[r:([A-Z_|]+)\]", TEXT)
    lists = [set(a.split("|")) for a in alternations if "|" in a]
    assert len(lists) == len(Label) - 1  # one expansion per label with a kind
    assert all(found == TYPES for found in lists)


def test_targets_without_a_kind_are_counted_for_every_relation_type() -> None:
    for label in Label:
        if _kind_property(label) is None:
            found = set(re.findall(rf"\(\)-\[r:([A-Z_]+)\]->\(:{label.value}\)", TEXT))
            assert found == TYPES, label


def test_every_label_is_counted_with_the_property_of_its_kind() -> None:
    for label in Label:
        prop = _kind_property(label)
        if prop is None:
            assert f"MATCH (n:{label.value}) WITH count(n) AS n" in TEXT
        else:
            for var in ("n", "t"):
                assert re.search(
                    rf"MATCH \({var}:{label.value}\)\S*\s+WHERE {var}\.{prop} IS NOT NULL", TEXT
                ), (label, var)
