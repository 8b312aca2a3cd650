"""Garbage-collector tuning where it was measured to pay (issue 12).

Python's cyclic collector runs a young-generation pass every 700 container allocations and
a full pass each time the number of long-lived containers grew by a quarter. Parsing a MAC
table allocates two containers per row (the row dict and its port list) and keeps them all:
on a 200,000-row table those passes cost more than the parse itself (IOS fast path: 0.67 s
with the collector on, 0.27 s with it paused; ``bench/bench_parse.py``). The rows hold only
strings and lists of strings — no reference cycles, nothing for the collector to find — so
pausing it for the length of one capture's parse loses nothing.

``gc.freeze()`` after the model is loaded was measured too, and is NOT used: on Python 3.11
it did not change the time of parsing 600k rows beside 1M live ``FdbEntry`` objects
(5.3-5.9 s either way, within the noise of a shared machine): freezing the long-lived
objects also resets the quarter-growth baseline, so full passes come more often, each over
fewer objects.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
#: [open blocks, whether the collector was on when the first one began]
_state: list[int] = [0, 0]


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off for the block, back as it was after the outermost one.

    For blocks that allocate many containers without reference cycles (a MAC table's rows).
    Nested and concurrent uses (threads) count: the collector comes back on only when the
    last one ends, and only if it was on when the first one began.
    """
    with _lock:
        if _state[0] == 0:
            _state[1] = int(gc.isenabled())
            gc.disable()
        _state[0] += 1
    try:
        yield
    finally:
        with _lock:
            _state[0] -= 1
            if _state[0] == 0 and _state[1]:
                gc.enable()
