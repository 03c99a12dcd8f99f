"""Once a crowd of websockets has halved, the process collects garbage and gives free heap pages back, once per
wave (api/realtime/memory.py); what that does to RSS is measured by bench/fanout.py (bench/fanout.md)."""

from __future__ import annotations

import asyncio
import gc

import psutil

from api.realtime.memory import SocketCrowd, give_back


async def test_a_crowd_that_halves_is_trimmed_once_and_a_small_one_never() -> None:
    crowd = SocketCrowd(settle_seconds=0.05, min_crowd=4)
    for _ in range(6):
        crowd.opened()
    crowd.closed()
    crowd.closed()
    await asyncio.sleep(0.1)
    trims_at_four = crowd.trims  # 4 open of a peak of 6: not yet half
    crowd.closed()
    crowd.closed()  # 2 open: half gone, twice over within the settling time: one trim
    await asyncio.sleep(0.1)
    after_wave = (crowd.trims, crowd.peak)

    small = SocketCrowd(settle_seconds=0.01, min_crowd=4)
    for _ in range(3):
        small.opened()
    for _ in range(3):
        small.closed()
    await asyncio.sleep(0.05)

    assert trims_at_four == 0
    assert after_wave == (1, 2)  # the peak starts again from what is still open
    assert small.trims == 0


def test_freed_heap_pages_go_back_to_the_system() -> None:
    """Blocks freed in the middle of malloc's heap (one in 16 kept, as a crowd's sockets leave some state that
    outlives them) stay in RSS until the trim: measured here 125 MB kept without it, ~20 MB after it."""
    process = psutil.Process()
    before = process.memory_info().rss
    blocks = [bytearray(16384) for _ in range(8000)]  # ~125 MB in malloc's heap (each under mmap's threshold)
    grown = process.memory_info().rss
    kept = blocks[::16]
    del blocks
    gc.collect()
    freed_untrimmed = process.memory_info().rss
    trimmed = give_back()
    after = process.memory_info().rss
    del kept

    assert trimmed  # glibc here
    assert grown - before > 100 * 2**20
    assert freed_untrimmed - before > 100 * 2**20  # freeing alone gave nothing back: the holes are mid-heap
    assert after - before < 40 * 2**20, (before, grown, freed_untrimmed, after)
