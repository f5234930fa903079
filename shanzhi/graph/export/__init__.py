"""Exports for other tools: GraphML and GEXF (Gephi, networkx), and neo4j-admin import CSV.

Every format is one module here, listed in :data:`FORMATS` (the CLI's ``--format`` choices are
its keys). All are written from a :class:`~shanzhi.graph.stores.snapshot.Snapshot`, so they come
out the same from either store. What leaves is masked and cleaned as
:mod:`shanzhi.graph.export.common` says: phones masked by what they are unless ``show_contact``,
control characters taken out, no fingerprint that could give a masked phone back. Each file is
written under a temporary name and moved into place when complete.

- ``graphml`` (:mod:`~shanzhi.graph.export.graphml`): one file, node ``label`` = the name;
- ``gexf`` (:mod:`~shanzhi.graph.export.gexf`): one file, dynamic (Gephi's timeline);
- ``neo4j-admin-csv`` (:mod:`~shanzhi.graph.export.neo4j_admin_csv`): a folder for
  ``neo4j-admin database import full``, with ``import.sh``.

>>> sorted(FORMATS), FORMATS["gexf"].output
(['gexf', 'graphml', 'neo4j-admin-csv'], 'file')
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from shanzhi import messages
from shanzhi.errors import UsageError

if TYPE_CHECKING:  # the registry is read at start-up (the CLI's choices): no networkx here
    from shanzhi.graph.export.common import ExportReport, Progress
    from shanzhi.graph.stores.snapshot import Snapshot

    Writer = Callable[[Snapshot, Path, bool, Progress | None], int]

__all__ = ["FORMATS", "Format", "export"]


@dataclass(frozen=True)
class Format:
    """One export format: the module that writes it (imported when it is used), whether it
    writes a file or a folder, and for whom."""

    module: str
    output: Literal["file", "folder"]
    help: str

    @property
    def write(self) -> Writer:
        """The format's ``write(snapshot, target, show_contact, progress)``."""
        writer: Writer = importlib.import_module(f"{__name__}.{self.module}").write
        return writer


FORMATS: dict[str, Format] = {
    "graphml": Format("graphml", "file", "one .graphml file (Gephi, yEd, networkx)"),
    "gexf": Format("gexf", "file", "one .gexf file, dynamic (Gephi's timeline)"),
    "neo4j-admin-csv": Format(
        "neo4j_admin_csv", "folder", "a folder for neo4j-admin database import"
    ),
}


def export(
    snap: Snapshot,
    fmt: str,
    out: Path,
    show_contact: bool = False,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write ``snap`` in format ``fmt`` to ``out`` (a file, or a folder for CSV); say what.

    An existing output is refused unless ``force`` (a device such as ``/dev/stdout`` is
    written to directly); a failed write leaves the old output, or none, never half of one.
    """
    from shanzhi.graph.export.common import (
        ExportReport,
        output_file,
        output_folder,
        parallel_relations,
    )

    if fmt not in FORMATS:
        raise UsageError(messages.UNKNOWN_FORMAT(fmt=fmt, formats=", ".join(FORMATS)))
    spec = FORMATS[fmt]
    opened = output_file(out, force) if spec.output == "file" else output_folder(out, force)
    with opened as target:
        masked = spec.write(snap, target, show_contact, progress)
        files = sorted(p.name for p in target.iterdir()) if spec.output == "folder" else []
    total = len(snap.nodes) + len(snap.relations)
    if progress:
        progress(messages.STAGE_DONE.both(), total, total)
    return ExportReport(
        format=fmt,
        output=str(out),
        files=[str(out / name) for name in files] if files else [str(out)],
        nodes=len(snap.nodes),
        relations=len(snap.relations),
        parallel=parallel_relations(snap),
        masked=masked,
        show_contact=show_contact,
    )
