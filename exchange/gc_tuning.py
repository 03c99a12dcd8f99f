"""The garbage collector of a server process: the start-up heap is frozen, and young collections are rarer.

A big page builds ~100k short-lived objects (rows, the types made from them, the response dicts). With CPython's
default thresholds the collector ran ~35 times per `orders(first: 100)` page and its full collections walked every
object the process holds — schema, SQLAlchemy, modules —: 22 ms of a 100 ms request (bench/README.md, issue 7).
`gc.freeze()` after start-up moves that heap out of the collector's walks (what CPython's documentation suggests
for long-running servers), and a first-generation threshold of 100,000 allocations instead of 700 makes the young
collections rare. The count is allocations less deallocations, so a request's objects, freed when it ends, give
it back: a page's ~60k live objects no longer trigger collections mid-request (at 10,000 they did, ~1 a page plus
the middle generation's every tenth: 3-7 ms of a 40 ms page). Cycles are still collected, just later; what they
hold meanwhile is bounded by the threshold (at most ~100k objects, some tens of MB at worst).
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 100_000


def tune_for_serving() -> None:
    """Call once the application is built (modules imported, schema made), before serving."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
