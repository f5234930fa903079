"""What every export shares: the records as they may leave the program, and writing safely.

A record leaves with its phones masked by what they are (:func:`shanzhi.privacy.mask_values`, so
a phone under ``手机`` or inside a ``note`` is masked too) unless ``show_contact``, with control
characters taken out of its texts (XML 1.0 cannot hold them, and GraphML, GEXF and the CSV
import all break on a NUL), and without its ``fingerprint`` where that could give a hidden phone
back: the fingerprint is a hash of the record *with* its real phone, so trying the 10⁴ masked
digits against it would recover the number. Only a record that leaves whole keeps it.

Files are written next to their target under a temporary name and moved into place when
complete, so a full disk or a killed export leaves the old file (or nothing), never half of one.

>>> clean_text("甲\\x00乙\\x1b丙\\t丁")
'甲乙丙\\t丁'
>>> rec = {"name": "张\\x07三", "phone": "13800000001", "fingerprint": "ab", "source_line": 3}
>>> outgoing(rec, show_contact=False)
({'name': '张三', 'phone': '138****0001', 'source_line': 3}, True)
>>> outgoing(rec, show_contact=True, keep_fingerprint=True)[0]["fingerprint"]
'ab'
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypedDict

from shanzhi import messages
from shanzhi.errors import OutputError, UsageError
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.privacy import clean_text, mask_values

__all__ = [
    "ExportReport",
    "Progress",
    "clean_text",
    "outgoing",
    "output_file",
    "output_folder",
    "parallel_relations",
]

#: ``progress(stage, done, total)``, as the loads report theirs.
Progress = Callable[[str, int, int], None]


class ExportReport(TypedDict):
    """What an export wrote: ``shanzhi export --json`` prints it."""

    format: str
    output: str
    files: list[str]
    nodes: int
    relations: int
    #: Relations that share their source and target with another (Gephi merges them).
    parallel: int
    #: Records that held a phone and went out masked (0 with ``show_contact``).
    masked: int
    show_contact: bool


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def outgoing(
    props: Mapping[str, Any], show_contact: bool, keep_fingerprint: bool = False
) -> tuple[dict[str, Any], bool]:
    """A record's properties as they may leave, and whether masking changed any of them.

    ``keep_fingerprint`` keeps the fingerprint of a record that leaves whole (nothing masked).
    """
    shown = dict(props) if show_contact else mask_values(dict(props))
    masked = shown != props
    cleaned = {clean_text(str(k)): _clean(v) for k, v in shown.items()}
    if masked or not keep_fingerprint:
        cleaned.pop("fingerprint", None)
    return cleaned, masked


def parallel_relations(snap: Snapshot) -> int:
    """How many relations have the same source and target as an earlier one."""
    pairs = Counter((r.source, r.target) for r in snap.relations.values())
    return sum(n - 1 for n in pairs.values())


def _fail(exc: OSError, path: Path) -> OutputError:
    return OutputError(messages.os_error(exc, path))


def _check_parent(out: Path) -> None:
    parent = out.parent
    for folder in (parent, *parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise UsageError(messages.PARENT_NOT_FOLDER(path=out, parent=folder))
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(exc, out) from None


@contextmanager
def output_file(out: Path, force: bool) -> Iterator[Path]:
    """The path to write ``out``'s content to; moved into place when the block ends well.

    An existing file is refused unless ``force``; a device or pipe (``/dev/stdout``) is
    written directly. An OSError becomes an :class:`~shanzhi.errors.OutputError`.
    """
    if out.is_dir():
        raise UsageError(messages.OUTPUT_IS_FOLDER(path=out))
    if out.exists() and not out.is_file():
        try:
            yield out
        except OSError as exc:
            raise _fail(exc, out) from None
        return
    if out.exists() and not force:
        raise UsageError(messages.EXPORT_EXISTS(path=out))
    _check_parent(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as exc:
        raise _fail(exc, out) from None
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def output_folder(out: Path, force: bool) -> Iterator[Path]:
    """A new folder to fill; it replaces ``out`` when the block ends well.

    An existing folder that is not empty is refused unless ``force``; a file is refused.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(messages.OUTPUT_IS_FILE(path=out))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UsageError(messages.EXPORT_NOT_EMPTY(path=out))
    _check_parent(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    old = out.with_name(f".{out.name}.{os.getpid()}.old")
    try:
        tmp.mkdir()
        yield tmp
        if out.exists():
            os.replace(out, old)
        try:
            os.replace(tmp, out)
        except OSError:
            if old.exists():
                os.replace(old, out)
            raise
    except OSError as exc:
        raise _fail(exc, out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
