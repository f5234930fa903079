"""Start-up: ``shanzhi --help`` and ``--version`` load none of the heavy libraries (issue 11.5).

Every command imports what it needs when it runs, so a call costs what its question costs, not
the sum of every library the program can use.
"""

from __future__ import annotations

import subprocess
import sys

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
