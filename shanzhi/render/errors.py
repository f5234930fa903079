"""Errors as the user reads them on stderr: one sentence after ``错误 error:``, then what helps.

A dataset's problems come first, one line each; a name that matched nothing is followed by the
closest names, several matches by one line per candidate (docs/cli.md, "Exit codes and errors").

>>> from shanzhi.errors import AmbiguousError, NotFoundError
>>> error_lines(NotFoundError("没有这栋楼 (no such building)", ["示例1号楼", "示例2号楼"]))
['错误 error: 没有这栋楼 (no such building)', '最接近的 closest: 示例1号楼、示例2号楼']
>>> error_lines(AmbiguousError("有两栋 (two match)", [{"id": "B1", "name": "一号楼"}]))
['错误 error: 有两栋 (two match)', '  B1  一号楼']
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from shanzhi import messages
from shanzhi.errors import AmbiguousError, DataError, NotFoundError, ShanzhiError

__all__ = ["candidate_line", "error_lines", "system_error_line"]


def candidate_line(candidate: Mapping[str, str]) -> str:
    """One of several things a name matched: ``  id  name  address``."""
    c = candidate
    return f"  {c.get('id', '')}  {c.get('name', '')}  {c.get('address', '')}".rstrip()


def error_lines(exc: ShanzhiError) -> list[str]:
    """The lines a library error prints: its problems, its sentence, then suggestions or
    candidates."""
    lines = [str(p) for p in exc.problems] if isinstance(exc, DataError) else []
    lines.append(f"{messages.ERROR.both()}: {messages.error_sentence(exc)}")
    if isinstance(exc, NotFoundError) and exc.suggestions:
        lines.append(f"{messages.CLOSEST.both()}: " + "、".join(exc.suggestions))
    if isinstance(exc, AmbiguousError):
        lines += [candidate_line(c) for c in exc.candidates]
    return lines


def system_error_line(exc: OSError | sqlite3.Error) -> str:
    """A file or folder the system would not let us use (a read-only home, a full disk)."""
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else "?"
        detail = messages.os_error(exc, where)
    else:
        detail = messages.STORE_FILE(detail=exc)
    return f"{messages.ERROR.both()}: {detail}"
