"""CSV files for ``neo4j-admin database import full``: a folder, and ``import.sh`` to run it.

One node file per label (``uid:ID(Entity)``, ``:LABEL``, typed properties such as
``source_line:long``, ``party_member:boolean``, ``aliases:string[]``) and one relationship file
per type (``:START_ID(Entity)``, ``:END_ID(Entity)``, ``:TYPE``, properties), plus ``import.sh``
with the command that loads them.

A record that leaves whole keeps its fingerprint, so after an import the next ``shanzhi load``
finds it up to date; a masked one loses it, so that load puts the real phone back (and the
fingerprint cannot give the hidden digits away).
"""

from __future__ import annotations

import csv
import shlex
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from shanzhi import messages
from shanzhi.graph.export.common import Progress, outgoing
from shanzhi.graph.stores.snapshot import Snapshot

__all__ = ["ARRAY_DELIMITER", "write"]

ARRAY_DELIMITER = ";"
_STEP = 2000

Rows = list[tuple[list[object], dict[str, object]]]


def _neo4j_type(values: Iterable[object]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    if kinds == {list}:
        return "string[]"
    return "string"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(map(str, value))
    return value


def _write_table(path: Path, fixed: list[str], rows: Rows) -> None:
    keys = sorted({k for _, props in rows for k in props})
    types = {k: _neo4j_type(props.get(k) for _, props in rows) for k in keys}
    header = fixed + [k if types[k] == "string" else f"{k}:{types[k]}" for k in keys]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for head, props in rows:
            w.writerow([*head, *(_cell(props.get(k)) for k in keys)])


def _script(folder: Path, args: list[str]) -> Path:
    script = folder / "import.sh"
    # Extra arguments go before the files: --nodes/--relationships take every word after them,
    # so a database name at the end would be read as one more file (the default is neo4j).
    script.write_text(
        "#!/bin/sh\n# Load these files into an empty, stopped database; shanzhi creates its\n"
        "# constraints on the first `shanzhi --store neo4j load`. Arguments are passed on, e.g.\n"
        "#   ./import.sh --overwrite-destination=true mydb\n"
        'cd "$(dirname "$0")" && exec neo4j-admin database import full "$@" '
        + " ".join(shlex.quote(a) for a in args)
        + "\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def write(snap: Snapshot, folder: Path, show_contact: bool, progress: Progress | None) -> int:
    """Fill ``folder`` with the import files; return how many records went out masked."""
    masked = 0
    total = len(snap.nodes) + len(snap.relations)
    by_label: dict[str, Rows] = defaultdict(list)
    for i, n in enumerate(sorted(snap.nodes.values(), key=lambda n: n.uid)):
        props, hid = outgoing(n.props, show_contact, keep_fingerprint=True)
        masked += hid
        props.pop("uid", None)
        by_label[n.label].append(([n.uid, f"Entity;{n.label}"], props))
        if progress and i % _STEP == 0:
            progress(messages.STAGE_NODES.both(), i, total)
    by_type: dict[str, Rows] = defaultdict(list)
    for i, r in enumerate(sorted(snap.relations.values(), key=lambda r: r.uid), len(snap.nodes)):
        props, hid = outgoing(r.props, show_contact, keep_fingerprint=True)
        masked += hid
        by_type[r.type].append(([r.source, r.target, r.type], props))
        if progress and i % _STEP == 0:
            progress(messages.STAGE_RELATIONS.both(), i, total)
    args = [f"--array-delimiter={ARRAY_DELIMITER}"]
    for label, rows in sorted(by_label.items()):
        _write_table(folder / f"nodes_{label}.csv", ["uid:ID(Entity)", ":LABEL"], rows)
        args.append(f"--nodes=nodes_{label}.csv")
    for rtype, rows in sorted(by_type.items()):
        fixed = [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
        _write_table(folder / f"relationships_{rtype}.csv", fixed, rows)
        args.append(f"--relationships=relationships_{rtype}.csv")
    _script(folder, args)
    return masked
