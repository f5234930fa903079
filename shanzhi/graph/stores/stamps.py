"""The names a load writes beside the records (plain constants: cheap for any reader to import).

* ``SEQ``, ``CHANGE`` — the stamp properties on each record a load writes: the load's number and
  ``created`` or ``updated`` (:mod:`shanzhi.graph.stores.loads`). Reserved: no source column may
  use them (:mod:`shanzhi.loaders.headers`), fingerprints and snapshots leave them out.
* ``LOAD_LABEL`` — the Neo4j label of a load record (not ``:Entity``).
"""

from __future__ import annotations

__all__ = ["CHANGE", "LOAD_LABEL", "SEQ", "STAMPS"]

SEQ = "load_seq"
CHANGE = "load_change"
STAMPS = (SEQ, CHANGE)
LOAD_LABEL = "Load"
