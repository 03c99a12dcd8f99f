"""Building the objects of the hot Strawberry types (a page of bids: ~1,000 bids, bidders and edges) cheaply.

Strawberry types are plain dataclasses; their keyword `__init__` costs ~1 µs for a type of a dozen fields, more
than reading the row they come from. `construct(cls, fields)` makes the instance and sets its attributes in one
step, for a `from_row` that names every field (tests/api/test_construct.py checks that each such type's
`from_row` sets exactly its dataclass fields and equals what `__init__` would build).
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")

_new = object.__new__


def construct(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of the dataclass `cls` whose attributes are `fields` (every field, no defaults applied)."""
    instance = _new(cls)
    instance.__dict__ = fields
    return instance
