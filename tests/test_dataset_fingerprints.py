"""A dataset works out each record's fingerprint once, and the plan needs no other stored forms
than those it writes (and the places a building's lookup entry is made of)."""

from __future__ import annotations

from dataclasses import replace

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores.lookup import lookup_entries
from shanzhi.graph.stores.sync import CHANGE, SEQ, Fingerprints, plan_sync
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path


def _sample() -> Dataset:
    return load_dataset(sample_path())


def test_the_kept_fingerprints_are_the_records_own() -> None:
    ds = _sample()
    nodes, rels = ds.fingerprints()
    assert nodes == {n.id: n.fingerprint for n in ds.nodes}
    assert rels == {r.key: r.fingerprint for r in ds.relations}
    assert ds.fingerprints() == (nodes, rels)  # kept: the same maps again
    stored = list(ds.stored_nodes())
    assert [s.props["fingerprint"] for s in stored] == [nodes[n.id] for n in ds.nodes]


def test_stored_forms_of_one_label_or_type_are_those_of_all() -> None:
    ds = _sample()
    places = list(ds.stored_nodes(Label.PLACE))
    assert places == [s for s in ds.stored_nodes() if s.label == Label.PLACE.value]
    assert places
    part_of = list(ds.stored_relations(RelType.PART_OF))
    assert part_of == [s for s in ds.stored_relations() if s.type == RelType.PART_OF.value]
    assert part_of


def test_a_plan_into_an_empty_store_writes_every_record_as_stored() -> None:
    ds = _sample()
    plan = plan_sync(ds, Fingerprints(), 1)
    want_nodes = sorted(ds.stored_nodes(), key=lambda s: s.uid)
    assert [replace(s, props={k: v for k, v in s.props.items() if k not in (SEQ, CHANGE)})
            for s in plan.upsert_nodes] == want_nodes  # fmt: skip
    assert all(s.props[SEQ] == 1 and s.props[CHANGE] == "created" for s in plan.upsert_nodes)
    want_rels = sorted(ds.stored_relations(), key=lambda s: s.uid)
    assert [s.uid for s in plan.upsert_relations] == [s.uid for s in want_rels]
    assert plan.lookup_upsert == [lookup_entries(ds)[u] for u in sorted(lookup_entries(ds))]


def test_a_plan_against_what_it_wrote_writes_only_the_change() -> None:
    ds = _sample()
    first = plan_sync(ds, Fingerprints(), 1)
    held = Fingerprints(
        nodes={s.uid: str(s.props["fingerprint"]) for s in first.upsert_nodes},
        relations={s.uid: str(s.props["fingerprint"]) for s in first.upsert_relations},
        lookup={e.uid: e.digest for e in first.lookup_upsert},
    )
    assert not plan_sync(_sample(), held, 2).writes
    renamed = _sample()
    person = next(n for n in renamed.nodes if n.label == Label.PERSON)
    nodes = tuple(n if n is not person else n.model_copy(update={"name": "改名"})
                  for n in renamed.nodes)  # fmt: skip
    changed = Dataset(renamed.name, nodes, renamed.relations, renamed.source)
    plan = plan_sync(changed, held, 2)
    assert [s.props["id"] for s in plan.upsert_nodes] == [person.id]
    assert plan.upsert_nodes[0].props["name"] == "改名"
    assert plan.upsert_nodes[0].props[CHANGE] == "updated"
    assert not plan.upsert_relations and not plan.remove_nodes and not plan.remove_relations
    assert plan.report.nodes.updated == 1
