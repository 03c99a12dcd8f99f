"""How long a failed provider payment waits before its next attempt (domain/payments/pending.py)."""

from __future__ import annotations

from datetime import timedelta

from domain.payments.pending import MAX_ATTEMPTS, retry_pause


def test_the_pause_doubles_from_thirty_seconds_to_an_hour() -> None:
    assert [retry_pause(n) for n in (1, 2, 3, 8, 19)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(hours=1),
        timedelta(hours=1),
    ]


def test_every_attempt_falls_inside_the_24_hours_stripe_replays_an_idempotency_key() -> None:
    span = sum((retry_pause(n) for n in range(1, MAX_ATTEMPTS)), timedelta())

    assert timedelta(hours=12) < span < timedelta(hours=24)
