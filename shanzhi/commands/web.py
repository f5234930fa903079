"""The web page's commands: ``shanzhi serve``, ``users add|list|remove|passwd`` and
``access-log`` (shanzhi/web/, docs/web.md)."""

from __future__ import annotations

import json

import click

from shanzhi.cli import Context, command, pass_ctx
from shanzhi.render.console import err, out

__all__ = ["access_log_cmd", "serve_cmd", "users"]


@click.command("serve")
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


@click.group()
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


@click.command("access-log")
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
