"""Python's cyclic garbage collector, paused while bulk work makes many objects that live on.

Reading a district (159 k rows into 230 k records), planning its load and routing a list of
tickets each keep hundreds of thousands of objects alive at once, and the collector's full
rescans of them, triggered by every few hundred allocations, cost a third of a district's read
(3.1 CPU-s with it, 2.1 without) and a fifth of a routing run. What that work allocates is freed
by reference counting; any cycle it leaves is collected once the collector runs again.
Nested and concurrent pauses are counted: the collector is resumed, as it was before the first,
when the last one ends.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_LOCK = threading.Lock()
_paused = 0
_was_enabled = True


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused for the duration of the block (see the module docstring)."""
    global _paused, _was_enabled
    with _LOCK:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _LOCK:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
