"""Write docs/cli-reference.md from the commands' own --help (run after changing a command).

    .venv/bin/python tools/cli_reference.py          # rewrite docs/cli-reference.md
    .venv/bin/python tools/cli_reference.py --check  # exit 1 if it is stale

tests/test_docs.py fails when the file differs from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shanzhi.cli import main

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli-reference.md"
WIDTH = 100

HEAD = """# `shanzhi` command reference

Generated from each command's `--help` by `tools/cli_reference.py`; do not edit by hand
(`tests/test_docs.py` fails when it is stale). The contract behind it is [cli.md](cli.md).
"""


def _walk(cmd: click.Command, path: list[str], parent: click.Context | None):
    settings = {**cmd.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = click.Context(cmd, info_name=path[-1], parent=parent, **settings)
    yield " ".join(path), cmd.get_help(ctx)
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, [*path, name], ctx)


def render() -> str:
    """The whole reference: one section per command, its help as the command prints it."""
    parts = [HEAD]
    for name, text in _walk(main, ["shanzhi"], None):
        parts.append(f"\n## `{name}`\n\n```text\n{text.rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv[1:]:
        stale = not OUT.exists() or OUT.read_text(encoding="utf-8") != text
        print(f"{OUT} is {'stale' if stale else 'up to date'}")
        sys.exit(1 if stale else 0)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
