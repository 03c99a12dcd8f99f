"""A nullable argument may be left out of a request (GraphQL says so); the resolver must then get None, not a Python
TypeError for a missing parameter. Strawberry passes nothing for an omitted argument that has no default."""

from __future__ import annotations

from strawberry.types.base import StrawberryOptional
from strawberry.types.unset import UNSET

from api.schema import build_schema
from exchange.settings import Settings


def test_every_nullable_root_argument_has_a_default() -> None:
    schema = build_schema(Settings())
    missing = [
        f"{root}.{field.name}({argument.python_name})"
        for root in ("Query", "Mutation", "Subscription")
        for field in schema.get_type_by_name(root).fields  # type: ignore[union-attr]
        for argument in field.arguments
        if isinstance(argument.type, StrawberryOptional) and argument.default is UNSET
    ]
    assert missing == []
