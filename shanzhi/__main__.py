"""``python -m shanzhi``: the same command as ``shanzhi``."""

from shanzhi.cli import main

main(prog_name="shanzhi")
