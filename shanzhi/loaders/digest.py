"""The digest of a dataset folder's files: what a reload compares before reading anything.

The digest covers every regular file under the folder (its path relative to the folder and its
bytes, in path order), the version of shanzhi, :data:`READ_VERSION` and the finder's key
version, so a changed file, a new or removed file, or a program that reads files differently
all give another digest. A load that changes the store keeps the digest in its load record; a
later load of the same folder whose digest is the same needs neither reading nor planning
(:func:`shanzhi.graph.stores.load_folder`).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "grids.csv").write_text("id,name\\n")
>>> a = source_digest(d); _ = (d / "grids.csv").write_text("id,name\\nG1,x\\n")
>>> a == source_digest(d), len(a)
(False, 32)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["READ_VERSION", "source_digest"]

_CHUNK = 1 << 20
#: What the loaders make of the same files: bump it when they read or derive differently, so that
#: a reload after the change reads the files again (2: LOCATED_IN derived from the link columns).
READ_VERSION = 2


def source_digest(folder: Path) -> str:
    """The digest of every file under ``folder`` (see the module docstring)."""
    from importlib.metadata import version

    from shanzhi.address.keys import KEYS_VERSION

    h = hashlib.blake2b(digest_size=16)
    h.update(f"shanzhi {version('shanzhi')} read {READ_VERSION} keys {KEYS_VERSION}\n".encode())
    root = Path(folder).resolve()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()
