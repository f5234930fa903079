"""Start-up: ``shanzhi --help`` and ``--version`` load none of the heavy libraries (issue 11.5).

Every command imports what it needs when it runs, so a call costs what its question costs, not
the sum of every library the program can use.
"""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

HEAVY = ("networkx", "pydantic", "neo4j", "numpy", "scipy", "openpyxl", "fastapi", "pypinyin")

PROBE = """
import sys
from shanzhi.cli import main
try:
    main([{arg!r}], standalone_mode=False)
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("arg", ["--help", "--version"])
def test_help_and_version_load_no_heavy_library(arg: str) -> None:
    code = PROBE.format(arg=arg, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("LOADED:")]
    assert line == "LOADED:", f"{arg} loaded {line}"


def test_version_loads_not_even_rich() -> None:
    code = PROBE.format(arg="--version", heavy=("rich",))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "LOADED:" in done.stdout.splitlines()


LOADED_COMMANDS = """
import sys
from shanzhi.cli import main
try:
    main({args!r}, standalone_mode=False)
except SystemExit:
    pass
print("COMMANDS:" + ",".join(sorted(m for m in sys.modules if m.startswith("shanzhi.commands."))))
"""


@pytest.mark.parametrize(
    ("args", "modules"),
    [
        (["--version"], ""),
        (["load", "--help"], "shanzhi.commands.load"),
        (["stats", "--help"], "shanzhi.commands.questions"),
        (["users", "list", "--help"], "shanzhi.commands.web"),
    ],
)
def test_a_call_imports_only_the_module_of_its_command(args: list[str], modules: str) -> None:
    code = LOADED_COMMANDS.format(args=args)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("COMMANDS:")]
    assert line == f"COMMANDS:{modules}"


def test_help_lists_every_command_with_its_help() -> None:
    from click.testing import CliRunner

    from shanzhi.cli import COMMANDS, main

    listed = CliRunner().invoke(main, ["--help"], env={"COLUMNS": "200"}).output
    rows = dict(
        line.strip().split(maxsplit=1)
        for line in listed.split("Commands:\n", 1)[1].splitlines()
        if line.strip()
    )
    assert list(rows) == sorted(COMMANDS)  # every command is one of shanzhi.commands
    for name, text in rows.items():
        cmd = main.get_command(click.Context(main), name)
        assert cmd is not None, name
        assert cmd.get_short_help_str(limit=200).startswith(text.removesuffix("...")), name
