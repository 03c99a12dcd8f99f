"""Review rules: what a review may say and when it shows. Pure: no I/O."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit
from domain.text import check_text

REVIEW_PERIOD = timedelta(days=14)
MAX_TEXT = 5000


def check_review(rating: int, text: str) -> tuple[int, str]:
    if not 1 <= rating <= 5:
        raise InvalidInput(
            "rate from 1 to 5", "rating", ErrorCode.OUT_OF_RANGE, limits=Limits(LimitUnit.NUMBER, min=1, max=5)
        )
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"use at most {MAX_TEXT} characters",
            "text",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.CHARACTERS, max=MAX_TEXT),
        )
    return rating, check_text(text, "text", max_length=MAX_TEXT, required=False)


def published(published_at: datetime | None, visible_from: datetime, now: datetime) -> bool:
    """Both sides reviewed, or the review period is over."""
    return published_at is not None or now >= visible_from


def may_review(*, completed_at: datetime | None, reviewed_already: bool, now: datetime) -> bool:
    """A side of a completed contract reviews the other once, within the review period."""
    return completed_at is not None and not reviewed_already and now < completed_at + REVIEW_PERIOD
