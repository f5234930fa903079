"""The ``shanzhi`` command: a thin skin over the library (docs/cli.md).

This module holds the root group, its options and the :class:`Context` every command gets; the
commands live in :mod:`shanzhi.commands`, one module per group, each imported only when its
command is named (``shanzhi --version`` imports none of them, ``--help`` only their help). Each
command opens the store, calls one library function of the same name and hands its result to
``shanzhi.render`` (all terminal output lives there, all texts in ``shanzhi.messages``); library
errors, and files the system will not let us write, become one sentence on stderr, in Chinese
with the English beside it, and the exit code of docs/cli.md.
"""

from __future__ import annotations

import functools
import importlib
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from shanzhi.config import Settings
from shanzhi.errors import ShanzhiError
from shanzhi.graph.stores import GraphStore, open_store
from shanzhi.render.errors import error_lines, system_error_line

__all__ = ["COMMANDS", "Context", "command", "main", "pass_ctx"]

F = TypeVar("F", bound=Callable[..., Any])

#: Every command of :mod:`shanzhi.commands` by name: ``module:attribute``, imported when named.
COMMANDS = {
    "validate": "shanzhi.commands.load:validate",
    "load": "shanzhi.commands.load:load",
    "changes": "shanzhi.commands.questions:changes",
    "stats": "shanzhi.commands.questions:stats",
    "who-covers": "shanzhi.commands.questions:who_covers",
    "audit": "shanzhi.commands.questions:audit",
    "centrality": "shanzhi.commands.centrality:centrality",
    "cypher": "shanzhi.commands.cypher:cypher",
    "export": "shanzhi.commands.export:export_cmd",
    "viz": "shanzhi.commands.viz:viz",
    "synth": "shanzhi.commands.synth:synth_cmd",
    "demo": "shanzhi.commands.synth:demo_cmd",
    "route": "shanzhi.commands.route:route_cmd",
    "serve": "shanzhi.commands.web:serve_cmd",
    "users": "shanzhi.commands.web:users",
    "access-log": "shanzhi.commands.web:access_log_cmd",
}


class Context:
    """Global options, and the store opened on first use."""

    def __init__(self, store: str | None, home: str | None, debug: bool) -> None:
        self.store_name, self.home, self.debug = store, home, debug
        self._store: GraphStore | None = None

    @property
    def settings(self) -> Settings:
        """Settings from flags and the environment."""
        return Settings.from_env(self.store_name, self.home)

    def store(self) -> GraphStore:
        """The store, opened once."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()


def command(fn: F) -> F:
    """Turn library errors, and files that cannot be read or written (a read-only home, a full
    disk), into one sentence and an exit code (a traceback only with --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context().find_object(Context)
        try:
            return fn(*args, **kwargs)
        except ShanzhiError as exc:
            if ctx is not None and ctx.debug:
                raise
            _print_error(error_lines(exc))
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
            sys.stderr.close()
            sys.exit(1)
        except (OSError, sqlite3.Error) as exc:
            if ctx is not None and ctx.debug:
                raise
            _print_error([system_error_line(exc)])
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _print_error(lines: list[str]) -> None:
    from shanzhi.render.console import print_lines  # plain lines: no rich to say what failed

    print_lines(lines)


pass_ctx = click.make_pass_decorator(Context)


class _LazyGroup(click.Group):
    """A group that imports a command's module when the command is named (see COMMANDS)."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, name = self.lazy[cmd_name].partition(":")
            found = getattr(importlib.import_module(module), name)
            if not isinstance(found, click.Command):
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            self.add_command(found, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=_LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--store",
    type=click.Choice(["embedded", "neo4j"]),
    default=None,
    help="Where the graph lives (env SHANZHI_STORE; default embedded).",
)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    default=None,
    help="Home folder of the embedded store (env SHANZHI_HOME; default ./.shanzhi).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-sentence errors.")
@click.version_option(package_name="shanzhi")
@click.pass_context
def main(ctx: click.Context, store: str | None, home: str | None, debug: bool) -> None:
    """善治 shanzhi — who governs what, down to a single building.

    \b
    Example:
      shanzhi load data/gonghexinlu && shanzhi stats
    """
    obj = Context(store, home, debug)
    ctx.obj = obj
    ctx.call_on_close(obj.close)
