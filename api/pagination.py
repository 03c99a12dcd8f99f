"""Page sizes: every list field's `first` checked by the same rule (domain/pagination.py's), with the same error."""

from __future__ import annotations

from domain.pagination import MAX_PAGE_SIZE, PageRequest


def check_first(first: int, most: int = MAX_PAGE_SIZE) -> int:
    """`first` when it is between 1 and `most`; else InvalidInput on the field `first` (OUT_OF_RANGE)."""
    return PageRequest(first).checked(most).first
