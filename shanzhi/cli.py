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
import json
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from shanzhi.config import Settings
from shanzhi.errors import ShanzhiError
from shanzhi.graph.stores import GraphStore, open_store
from shanzhi.render.console import err, out
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
            for line in error_lines(exc):
                err.print(line, markup=False)
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
            sys.stderr.close()
            sys.exit(1)
        except (OSError, sqlite3.Error) as exc:
            if ctx is not None and ctx.debug:
                raise
            err.print(system_error_line(exc), markup=False)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


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


# -- the web page: shanzhi serve, accounts, the access log (shanzhi/web/, docs/web.md) ----------
@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--https-only", is_flag=True, help="Send the session cookie over HTTPS only.")
@pass_ctx
@command
def serve_cmd(ctx: Context, host: str, port: int, https_only: bool) -> None:
    """The web page for street-office staff, scoped by role and grid (stop with Ctrl-C).

    Listens on 127.0.0.1 unless --host says otherwise (with a warning). Accounts come from
    `shanzhi users add`; they and the access log are kept in HOME/web.db.

    \b
    Example:
      shanzhi users add admin --role admin
      shanzhi serve --port 8000
    """
    from shanzhi.render.web import serving_line
    from shanzhi.web import serve

    out.print(serving_line(host, port), markup=False)
    serve(ctx.store(), ctx.settings.home, host, port, warn=err.print, https_only=https_only)


def _password(confirm: bool = True) -> str:
    value: str = click.prompt("密码 password", hide_input=True, confirmation_prompt=confirm)
    return value


@main.group()
def users() -> None:
    """Web accounts: 网格员 gridworker, 居委/街道 staff, analyst, admin (kept in HOME/web.db).

    \b
    Example:
      shanzhi users add li --role gridworker --grid G-C17-BR2
      shanzhi users list
    """


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, help="gridworker 网格员 | staff 居委/街道 | analyst | admin")
@click.option("--grid", default=None, help="The grid (id, uid or name) of a gridworker or staff.")
@click.option("--json", "as_json", is_flag=True, help="Print the account as JSON.")
@pass_ctx
@command
def users_add(ctx: Context, name: str, role: str, grid: str | None, as_json: bool) -> None:
    """Create an account; the password is asked for twice.

    \b
    Example:
      shanzhi users add admin --role admin
      shanzhi users add li --role 网格员 --grid G-C17-BR2
    """
    from shanzhi.render.web import user_added_line
    from shanzhi.web import Role
    from shanzhi.web.users import accounts, check_new

    parsed = Role.parse(role)
    uid = check_new(ctx.store(), ctx.settings.home, name, parsed, grid)
    user = accounts(ctx.settings.home).add(name, _password(), parsed, uid)
    if as_json:
        out.print_json(json.dumps({"name": user.name, "role": user.role.value, "grid": user.grid}))
        return
    out.print(user_added_line(user.name, user.role.zh, user.grid), markup=False)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
@command
def users_list(ctx: Context, as_json: bool) -> None:
    """List the accounts with their roles and grids.

    \b
    Example:
      shanzhi users list
    """
    from shanzhi.render.web import users_table
    from shanzhi.web.users import rows

    found = rows(ctx.store(), ctx.settings.home)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
        return
    out.print(users_table(found))


@users.command("remove")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
@command
def users_remove(ctx: Context, name: str, as_json: bool) -> None:
    """Delete an account (its open sessions end at once).

    \b
    Example:
      shanzhi users remove li
    """
    from shanzhi.render.web import user_removed_line
    from shanzhi.web.users import accounts

    accounts(ctx.settings.home).remove(name)
    if as_json:
        out.print_json(json.dumps({"removed": name}, ensure_ascii=False))
        return
    out.print(user_removed_line(name), markup=False)


@users.command("passwd")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
@command
def users_passwd(ctx: Context, name: str, as_json: bool) -> None:
    """Give an account a new password (its open sessions end).

    \b
    Example:
      shanzhi users passwd li
    """
    from shanzhi.render.web import password_changed_line
    from shanzhi.web.users import accounts

    accounts(ctx.settings.home).set_password(name, _password())
    if as_json:
        out.print_json(json.dumps({"password_changed": name}, ensure_ascii=False))
        return
    out.print(password_changed_line(name), markup=False)


@main.command("access-log")
@click.option("--user", default=None, help="Only this account's lines.")
@click.option("--limit", default=50, show_default=True, help="Lines to print; 0: all.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
@command
def access_log_cmd(ctx: Context, user: str | None, limit: int, as_json: bool) -> None:
    """Every phone the web page showed in full: who, when, which person, from which building.

    \b
    Example:
      shanzhi access-log --user li
    """
    from shanzhi.render.web import access_log_table
    from shanzhi.web import db_path, entries

    found = entries(db_path(ctx.settings.home), user=user, limit=limit or None)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
        return
    out.print(access_log_table(found))
