"""Building the objects of the hot Strawberry types (a page of bids: ~1,000 bids, bidders and edges) cheaply.

Strawberry types are plain dataclasses; their keyword `__init__` costs ~1 µs for a type of a dozen fields, more
than reading the row they come from.

- `construct(cls, fields)` makes the instance and sets its attributes in one step, every field named (a page's
  ~1,000 bid edges).
- `of_row(view, row)` goes further for the types a page holds many of (Bid and Organisation, a thousand each on a
  page of bids; Order): a *row view* is a subclass of the type whose fields are properties reading the row when
  asked, so a field the query does not select (a bid's tooling price, its notes, a bidder's registration number,
  an order's description) costs nothing, and building one is a single allocation. It is read-only (the types
  are never written after they are built), is the type for Strawberry (an instance of it, so its `is_type_of`
  holds), and answers every field as the type built eagerly would: tests/api/test_construct.py compares them
  field by field.
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


def of_row(view: type[T], row: Any, **extra: Any) -> T:
    """An instance of the row view `view` over `row`, with `extra` attributes (private fields) set."""
    instance = _new(view)
    attributes = instance.__dict__
    attributes["_row"] = row
    if extra:
        attributes.update(extra)
    return instance
