"""Multiprocess metrics written to the shared files at most once a second, not on every increment.

In prometheus-client's multiprocess mode (`exchange serve --workers N`, api/observability/prometheus.py) every `inc`
of a counter, a gauge or a histogram's sum or bucket takes a process-wide lock, asks the kernel for the process id
(a fork check: a system call), and writes the new value into the process's memory-mapped file — five times a GraphQL
request (its counter, its histogram's sum and bucket, the pool's in-use gauge up and down): ~430 Python opcodes and
five system calls of a worker's request, where one process's counters cost ~100 (bench/README.md, `pycost`).

Here `inc` only adds to the value in memory (under a lock of its own: a thread may count too) and marks it; `flush`
writes every marked value to the file, as prometheus-client's own `set` would. A worker flushes once a second while
it serves (`flush_every`: one timer on its event loop), before it answers a scrape (`api/observability/prometheus.py`
`exposition`: its own samples are then current), and when it stops. So another worker's scrape sees a worker's counts
at most a second late — within any scrape interval —, the counts themselves are exact, and a worker that dies
without stopping loses at most its last second of counts (its file says what it had flushed). `set` (the gauges read
at scrape, the worker's timestamps) writes at once, as before. `get` is the value in memory (what will be flushed).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

FLUSH_SECONDS = 1.0


class BufferedSamples:
    """The value class for multiprocess mode, made from prometheus-client's (`values.MultiProcessValue()`): see the
    module's docstring. `pending` holds the values changed since the last flush."""

    def __init__(self, mmaped: type[Any]) -> None:
        lock = threading.Lock()
        pending: dict[int, Any] = {}
        write = mmaped.set
        self.pending = pending

        class BufferedValue(mmaped):
            """prometheus-client's mmap-backed value whose `inc` waits for the next flush."""

            def inc(self, amount: float) -> None:
                with lock:
                    self._value += amount
                    pending[id(self)] = self

        def flush() -> None:
            # Under this lock (prometheus-client's write takes its own, never this one): an increment made by another
            # thread meanwhile waits, and is neither lost nor written half.
            with lock:
                for value in pending.values():
                    write(value, value._value)  # prometheus-client's own write: its lock, its fork check, the file
                pending.clear()

        self.value_class = BufferedValue
        self.flush = flush

    async def flush_every(self, seconds: float = FLUSH_SECONDS) -> None:
        """Flush while the process runs (cancel to stop; the caller flushes once more after)."""
        while True:
            await asyncio.sleep(seconds)
            if self.pending:
                self.flush()
