"""Building many objects at once without the cyclic garbage collector rescanning the heap.

Loading a big scenario, tracing it, laying it out or writing its JSON makes
hundreds of thousands of small lists, tuples and records and no reference
cycles. Python's cyclic collector still runs every few hundred allocations
and, every so often, walks every object alive: the bigger the graph, the
more it walks, so the cost grows faster than the graph. Pausing it for the
build keeps that work linear; it resumes (and collects) afterwards.
Reference counting frees memory as usual throughout.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector inside the block (nests; restores what was there)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
