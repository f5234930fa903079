"""Nodes and relations as validated records (pydantic), built from the vocabulary in
:mod:`shanzhi.graph.model.kinds`: a wrong record fails when it is made, never as a wrong graph."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shanzhi.graph.model.kinds import (
    RELATION_RULES,
    ROLE_REQUIRED,
    SAME_LABEL_ONLY,
    Label,
    RelType,
    Scalar,
    kind_enum,
)

__all__ = ["Node", "Provenance", "Relation"]


class Provenance(BaseModel):
    """Where a node or relation came from: the file and the line a spreadsheet user counts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    line: int = Field(ge=0)


def _fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.blake2b(
        orjson.dumps(payload, option=orjson.OPT_SORT_KEYS), digest_size=12
    ).hexdigest()


_LEVELLED = frozenset({Label.GRID, Label.PROJECT})


class Node(BaseModel):
    """A node: its key ``id``, its label, its ``kind`` (grid and project ``level``) and name.

    ``props`` holds every other property (address, aliases, phone, party_member, dates as ISO
    text, extra spreadsheet columns…); values are scalars or lists of strings only, so the
    embedded store and Neo4j hold exactly the same thing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    label: Label
    name: str = Field(min_length=1)
    kind: str | None = None
    props: dict[str, Scalar] = Field(default_factory=dict)
    provenance: Provenance

    @model_validator(mode="after")
    def _kind_belongs_to_label(self) -> Node:
        enum = kind_enum(self.label)
        if enum is None:
            if self.kind is not None:
                raise ValueError(f"{self.label.value} nodes have no kind")
        elif self.kind is None or self.kind not in {m.value for m in enum}:
            raise ValueError(f"{self.kind!r} is not a {self.label.value} {enum._what()}")
        return self

    def properties(self) -> dict[str, Scalar]:
        """The flat property map both stores keep (provenance as source_file/source_line)."""
        # Neo4j cannot hold a null property, so neither store does.
        out: dict[str, Scalar] = {k: v for k, v in self.props.items() if v is not None}
        out.update(
            id=self.id,
            name=self.name,
            source_file=self.provenance.file,
            source_line=self.provenance.line,
        )
        if self.kind is not None:
            out["level" if self.label in _LEVELLED else "kind"] = self.kind
        return out

    @property
    def fingerprint(self) -> str:
        """A hash of everything stored for this node; equal fingerprints mean nothing changed."""
        return self.fingerprint_of(self.properties())

    def fingerprint_of(self, properties: dict[str, Scalar]) -> str:
        """The fingerprint, given this node's ``properties()`` already computed."""
        return _fingerprint({"label": str(self.label), **properties})


class Relation(BaseModel):
    """A relation between two node ids. ``key`` identifies it within a dataset."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_id: str = Field(min_length=1)
    type: RelType
    target_id: str = Field(min_length=1)
    role: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    props: dict[str, Scalar] = Field(default_factory=dict)
    provenance: Provenance

    @model_validator(mode="after")
    def _role_and_dates(self) -> Relation:
        if self.type in ROLE_REQUIRED and not self.role:
            raise ValueError(f"{self.type.value} needs a role")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    @property
    def key(self) -> str:
        """Stable identity: the same post held twice from different dates is two relations."""
        start = self.valid_from.isoformat() if self.valid_from else ""
        return f"{self.source_id}|{self.type}|{self.target_id}|{self.role or ''}|{start}"

    def properties(self) -> dict[str, Scalar]:
        """The flat property map both stores keep on the relation."""
        # Neo4j cannot hold a null property, so neither store does.
        out: dict[str, Scalar] = {k: v for k, v in self.props.items() if v is not None}
        out.update(key=self.key, source_file=self.provenance.file, source_line=self.provenance.line)
        if self.role:
            out["role"] = self.role
        if self.valid_from:
            out["valid_from"] = self.valid_from.isoformat()
        if self.valid_to:
            out["valid_to"] = self.valid_to.isoformat()
        return out

    @property
    def fingerprint(self) -> str:
        """A hash of everything stored for this relation."""
        return self.fingerprint_of(self.properties())

    def fingerprint_of(self, properties: dict[str, Scalar]) -> str:
        """The fingerprint, given this relation's ``properties()`` already computed."""
        ends = {"type": str(self.type), "source": self.source_id, "target": self.target_id}
        return _fingerprint({**ends, **properties})

    def allowed_between(self, source: Label, target: Label) -> str | None:
        """None if the model allows this relation between these labels, else why not."""
        sources, targets = RELATION_RULES[self.type]
        if source not in sources or target not in targets:
            return (
                f"{self.type.value} cannot join {source.value} → {target.value} "
                f"(allowed: {'/'.join(sorted(s.value for s in sources))} → "
                f"{'/'.join(sorted(t.value for t in targets))})"
            )
        if self.type in SAME_LABEL_ONLY and source != target:
            return f"{self.type.value} joins like with like, not {source.value} → {target.value}"
        return None
