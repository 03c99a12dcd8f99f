"""Memory given back once a crowd of websockets has gone.

A socket's state (uvicorn's protocol and buffers, the graphql-transport-ws handler, its context, tasks and
queues) is freed when it closes — tests/realtime/test_fanout_memory.py finds nothing of it left in Python — but
the process's RSS stays near its peak: CPython's allocator keeps partly used arenas, and glibc's malloc keeps the
pages it freed inside its heap rather than returning them to the system. So when the open sockets fall to half of
their peak (or to none), the process collects its garbage and asks glibc to give its free pages back
(`malloc_trim(0)`), once, a moment after the last of them closed (a crowd leaves over a few seconds).
Where glibc is not the allocator (musl, macOS) only the collection runs.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
from collections.abc import Callable

import structlog

log = structlog.get_logger(__name__)

SETTLE_SECONDS = 2.0  # after the last close of a wave, before trimming
# Below this peak the memory at stake is small and not worth a full collection's pause (tens of ms in a large
# process).
MIN_CROWD = 50


def _malloc_trim() -> Callable[[], object] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


_TRIM = _malloc_trim()


def give_back() -> bool:
    """Collect garbage and return free heap pages to the system; True if glibc's trim ran."""
    gc.collect()
    if _TRIM is None:
        return False
    _TRIM()
    return True


class SocketCrowd:
    """Counts this process's open websockets and trims memory once a crowd of them has left."""

    def __init__(self, settle_seconds: float = SETTLE_SECONDS, min_crowd: int = MIN_CROWD) -> None:
        self.min_crowd = min_crowd
        self.open = 0
        self.peak = 0
        self.trims = 0
        self.settle_seconds = settle_seconds
        self._timer: asyncio.TimerHandle | None = None

    def opened(self) -> None:
        self.open += 1
        self.peak = max(self.peak, self.open)

    def closed(self) -> None:
        self.open -= 1
        if self.peak >= self.min_crowd and self.open <= self.peak // 2:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = asyncio.get_running_loop().call_later(self.settle_seconds, self._trim)

    def _trim(self) -> None:
        self._timer = None
        if self.open > self.peak // 2:  # a new crowd came in the meantime
            return
        trimmed = give_back()
        self.trims += 1
        log.info("ws.memory_trimmed", open=self.open, peak=self.peak, malloc_trim=trimmed)
        self.peak = self.open


CROWD = SocketCrowd()
