"""The commands of ``shanzhi``, one module per group; :mod:`shanzhi.cli` names them in
:data:`shanzhi.cli.COMMANDS` and imports each module when its command is asked for."""
