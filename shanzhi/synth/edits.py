"""A later version of a dataset: a few records edited, as a street office's next ledger would be.

Benchmarks use it to give a store a realistic second load (``shanzhi changes`` then has a small
answer): the first ``edits`` people renamed (name + "（改）"), as many HOLDS relations that have
an end date ending one day later, and as many PARTNERS relations dropped.

>>> from shanzhi.loaders import load_dataset
>>> from shanzhi.sample import sample_path
>>> later, changed = edited(load_dataset(sample_path()), 3)
>>> changed, sum(n.name.endswith("（改）") for n in later.nodes)
(9, 3)
"""

from __future__ import annotations

from datetime import timedelta

from shanzhi.graph.model import Label, Node, Relation, RelType
from shanzhi.graph.model.dataset import Dataset

__all__ = ["edited"]


def edited(dataset: Dataset, edits: int) -> tuple[Dataset, int]:
    """The dataset with ``edits`` people renamed, HOLDS re-dated and PARTNERS dropped, and the
    number of records that change (each renamed node, re-dated or dropped relation once)."""
    renamed = {n.id for n in [n for n in dataset.nodes if n.label is Label.PERSON][:edits]}
    dated = [r for r in dataset.relations if r.type is RelType.HOLDS and r.valid_to is not None]
    redated = {id(r) for r in dated[:edits]}
    partners = [r for r in dataset.relations if r.type is RelType.PARTNERS]
    dropped = {id(r) for r in partners[:edits]}

    def node(n: Node) -> Node:
        if n.id not in renamed:
            return n
        return Node.model_validate({**n.model_dump(), "name": n.name + "（改）"})

    def relation(r: Relation) -> Relation:
        if id(r) not in redated or r.valid_to is None:
            return r
        return Relation.model_validate(
            {**r.model_dump(), "valid_to": r.valid_to + timedelta(days=1)}
        )

    return (
        Dataset(
            dataset.name,
            tuple(node(n) for n in dataset.nodes),
            tuple(relation(r) for r in dataset.relations if id(r) not in dropped),
            dataset.source,
        ),
        len(renamed) + len(redated) + len(dropped),
    )
