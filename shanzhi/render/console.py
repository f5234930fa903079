"""The terminal: consoles made per invocation, JSON answers and progress bars.

A console made at import would keep the terminal's width, colour and stream of that moment (a
``COLUMNS`` exported before the program started wins over the one a test or a wrapper sets for
one run), so :data:`out` and :data:`err` only stand for the consoles of the click invocation
running now: the first use in an invocation makes them, from the environment of that moment.

>>> from click.testing import CliRunner
>>> import click
>>> @click.command()
... def shout() -> None:
...     out.print(f"width {out.width}")
>>> CliRunner().invoke(shout, env={"COLUMNS": "123"}).output
'width 123\\n'
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from shanzhi.privacy import mask_values

if TYPE_CHECKING:  # rich is imported when a console is first used, not to print plain lines
    from rich.console import Console

__all__ = ["err", "out", "print_json", "print_lines", "progress"]


class _Invocation:
    """Stands for the console of the running invocation (stdout or stderr)."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._key = f"shanzhi.console.{'err' if stderr else 'out'}"

    def console(self) -> Console:
        """This invocation's console, made on first use (outside click: a new one each time)."""
        ctx = click.get_current_context(silent=True)
        if ctx is None:
            return self._make()
        made: Console | None = ctx.meta.get(self._key)
        if made is None:
            made = ctx.meta[self._key] = self._make()
        return made

    def _make(self) -> Console:
        from rich.console import Console

        return Console(stderr=self._stderr, highlight=False, soft_wrap=self._stderr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)


out = _Invocation(stderr=False)
err = _Invocation(stderr=True)


def print_lines(lines: Iterable[str], stderr: bool = True) -> None:
    """Print lines as they are (no markup, no wrapping) on stderr or stdout, without rich."""
    stream = sys.stderr if stderr else sys.stdout
    stream.write("".join(f"{line}\n" for line in lines))
    stream.flush()


def print_json(data: Any, show_contact: bool = False) -> None:
    """Print an answer as JSON (UTF-8 text, Chinese as is), phones masked by what they are."""
    import json

    shown = data if show_contact else mask_values(data)
    out.print_json(json.dumps(shown, ensure_ascii=False, default=str))


@contextmanager
def progress(label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A bar on stderr, gone when the work is done; yields ``update(stage, done, total)``.

    Only on a terminal: piped or captured, stderr gets no bar (nor the blank line a bar that was
    drawn and taken away leaves there).
    """
    from rich.progress import (  # only long work shows a bar
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = err.console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"{label}: {stage}", completed=done, total=total)

        yield update
