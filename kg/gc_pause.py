"""Pausing Python's cyclic garbage collector around work that makes millions of small objects.

Resolution, graph building and loading make dicts, tuples and lists by the million, none of them
in a reference cycle. Each time enough objects pile up, the collector walks every object still
alive, again and again as the heap grows, a large share of resolving, building and loading
(docs/performance.md). Reference counting frees all of it just the same; the collector runs
again afterwards.

The collector is one switch for the whole process, and ``kg build`` pauses it in a loading
thread while the main thread reads the next files, so pauses are counted: the collector comes back
when the last one ends, and only if it was on before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body (or, as ``@collector_paused()``, the function) with the cyclic collector off."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
