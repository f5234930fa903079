"""The official Neo4j driver, imported without its optional array extras.

On import the driver looks for numpy, pandas and pyarrow, to accept their arrays as parameters
and to build data frames from results; this program does neither. numpy is installed (networkx
needs it), and importing it for the driver costs a ``--store neo4j`` command about a third of its
start-up. So the driver is imported with those three hidden, and they import normally afterwards
for whatever else needs them.
"""

from __future__ import annotations

import sys

_EXTRAS = ("numpy", "pandas", "pyarrow")
_hidden = [name for name in _EXTRAS if name not in sys.modules]
for _name in _hidden:
    sys.modules[_name] = None  # type: ignore[assignment]  # makes `import numpy` fail: skipped
try:
    import neo4j
finally:
    for _name in _hidden:
        del sys.modules[_name]

__all__ = ["neo4j"]
