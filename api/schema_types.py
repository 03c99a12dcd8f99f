"""A type of the schema by its GraphQL name: for a field whose type sits above its own in the import graph.

GraphQL types refer to each other both ways (an order's bids and a bid's order, an organisation's reviews and a
review's author); modules must not (tests/unit/test_api_imports.py: a circle of imports makes load order matter
and hides which area is built on which). The lower module names the higher type in the field's annotation with
`strawberry.lazy` (an import for the type checker only, under TYPE_CHECKING), and builds the field's value with
the class the schema holds under that name: the schema is built from every area, and it holds the type because the
field names it, so the class is there whenever the field runs. The lower module never imports the higher one.

Which way each pair points (the lower module first): api.bids.types below api.orders.types and
api.contracts.types (a bid's `order` and `contract`), api.reviews.types below api.organisations.types (a review's
`author`).
"""

from __future__ import annotations

from typing import Any

from strawberry.types.base import StrawberryObjectDefinition

from api.context import Info


def schema_type(info: Info, name: str) -> Any:
    """The Python class of the object type `name` in the schema this field runs in (its `from_row` builds values)."""
    definition = info.schema.get_type_by_name(name)
    if not isinstance(definition, StrawberryObjectDefinition):
        raise LookupError(f"the schema has no object type {name!r}")
    return definition.origin
