"""Nodes and relations built from values the loaders checked already, without pydantic's
per-object validation: what ``model_construct`` does, without its overhead.

A city-scale dataset has millions of rows, so the table builders (:mod:`.records`) make their
records here; ``tests/loaders`` proves that what they make equals what validation makes.

>>> prov = provenance("orgs.csv", 2)
>>> make_relation("O-1", RelType.LOCATED_IN, "P-1", prov).key
'O-1|LOCATED_IN|P-1||'
>>> relation_key("O-1", RelType.LOCATED_IN, "P-1", None, None)
'O-1|LOCATED_IN|P-1||'
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from shanzhi.graph.model import Label, Node, Provenance, Relation, RelType, Scalar

__all__ = ["make_node", "make_relation", "provenance", "relation_key"]

M = TypeVar("M", Node, Relation, Provenance)

# pydantic's own slots, set directly: what ``model_construct`` does without its overhead.
_new = object.__new__
_set_dict = object.__setattr__
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _build(cls: type[M], values: dict[str, Any], fields: frozenset[str]) -> M:
    obj: M = _new(cls)
    _set_dict(obj, "__dict__", values)
    _set_fields(obj, set(fields))  # a set of its own, as pydantic makes (model_copy adds to it)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


_NODE_FIELDS = frozenset(Node.model_fields)
_REL_FIELDS = frozenset(Relation.model_fields)
_PROV_FIELDS = frozenset(Provenance.model_fields)
_TYPE = {t: t.value for t in RelType}


def provenance(file: str, line: int) -> Provenance:
    """A Provenance from checked values."""
    return _build(Provenance, {"file": file, "line": line}, _PROV_FIELDS)


def make_node(
    node_id: str,
    label: Label,
    name: str,
    kind: str | None,
    props: dict[str, Scalar],
    prov: Provenance,
) -> Node:
    """A node from checked values (equal to ``Node(...)``, without the validation cost)."""
    values: dict[str, Any] = {
        "id": node_id,
        "label": label,
        "name": name,
        "kind": kind,
        "props": props,
        "provenance": prov,
    }
    return _build(Node, values, _NODE_FIELDS)


def make_relation(
    source_id: str,
    rel_type: RelType,
    target_id: str,
    prov: Provenance,
    role: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    props: dict[str, Scalar] | None = None,
) -> Relation:
    """A relation from checked values (equal to ``Relation(...)``)."""
    values = {
        "source_id": source_id,
        "type": rel_type,
        "target_id": target_id,
        "role": role,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "props": {} if props is None else props,
        "provenance": prov,
    }
    return _build(Relation, values, _REL_FIELDS)


def relation_key(
    source_id: str, rel_type: RelType, target_id: str, role: str | None, valid_from: date | None
) -> str:
    """``Relation.key`` computed from the parts (without building the relation first)."""
    since = valid_from.isoformat() if valid_from else ""
    return f"{source_id}|{_TYPE[rel_type]}|{target_id}|{role or ''}|{since}"
