"""The throttle's window arithmetic: the previous fixed window weighs in by how much of it still overlaps, and
the wait it answers is until the estimate is back under the limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.identity.throttle import RateLimit, retry_after, weighted_count, window_start

WINDOW = timedelta(minutes=15)
START = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # a window boundary (15-minute windows from 2000-01-01)


def test_windows_start_on_fixed_boundaries() -> None:
    assert window_start(START, WINDOW) == START
    assert window_start(START + timedelta(minutes=14, seconds=59), WINDOW) == START
    assert window_start(START + timedelta(minutes=15), WINDOW) == START + WINDOW


def test_the_previous_window_counts_for_what_still_overlaps() -> None:
    assert weighted_count(3, 10, START, WINDOW) == 13
    assert weighted_count(3, 10, START + timedelta(minutes=5), WINDOW) == pytest.approx(3 + 10 * (2 / 3))
    assert weighted_count(3, 10, START + WINDOW - timedelta(seconds=1), WINDOW) == pytest.approx(3 + 10 / 900)


def test_the_wait_ends_when_the_estimate_is_back_under_the_limit() -> None:
    rate = RateLimit(10, WINDOW)
    now = START + timedelta(minutes=5)

    # 4 now and 12 before: under 10 once 12 * (1 - x) < 6, i.e. x > 0.5: 7.5 minutes into this window.
    wait = retry_after(4, 12, now, rate)
    # 10 in this window already: the next window, and then until 10 * (1 - x) < 10 (at once).
    full = retry_after(10, 0, now, rate)
    # 20 in this window: the next window and half of it.
    double = retry_after(20, 0, now, rate)

    assert wait == 150
    assert weighted_count(4, 12, now + timedelta(seconds=wait + 1), WINDOW) < 10
    assert full == 600
    assert double == 600 + 450
