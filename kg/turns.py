"""Letting other threads run during long loops of compiled code.

The interpreter passes the GIL to a thread that has waited a few milliseconds, between bytecodes.
Code compiled by mypyc (``kg.compiled_modules``) runs no bytecodes and keeps the GIL until it returns:
resolving a batch held it for most of a second at a time (docs/development.md), while ``kg build``'s other
threads (the one taking the extraction workers' results, the one writing to the store) waited, and
the workers stood idle. The long loops of the compiled modules step through ``taking_turns``
instead: this module is not compiled, so each step is a bytecode boundary where a waiting thread
gets its turn, and costs about a tenth of a microsecond.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def taking_turns(items: Iterable[T]) -> Iterator[T]:
    """``items``, one by one, letting a waiting thread run between any two."""
    for item in items:  # noqa: UP028 (a loop, not yield from: its jump back is where the interpreter lets go)
        yield item
