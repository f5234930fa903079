"""The web page for street-office staff (``shanzhi serve``): the same library functions as the
CLI, scoped by role and grid, with an access log of every phone shown in full.

Modules: :mod:`.accounts` (users and roles, ``HOME/web.db``), :mod:`.accesslog`, :mod:`.scope`
(what an account may see), :mod:`.search` (finding a building within it), :mod:`.service` (the
answers), :mod:`.app` / :mod:`.pages` / :mod:`.api` (the ASGI application), :mod:`.server`.
See docs/web.md.
"""

from shanzhi.web.accesslog import entries
from shanzhi.web.accounts import Accounts, Role, User, db_path
from shanzhi.web.server import is_loopback, serve

__all__ = ["Accounts", "Role", "User", "db_path", "entries", "is_loopback", "serve"]
