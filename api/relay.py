"""Relay plumbing: global IDs in and out, and cursor connections built from domain pages."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

import strawberry
from strawberry import relay
from strawberry.extensions import FieldExtension
from strawberry.relay.types import GlobalIDValueError

from domain.errors import NotFound
from domain.pagination import Page

# Strawberry types Connection and Edge for Node types only; a connection of plain objects (reviews, messages, the
# operators' queues) works the same at run time. Hence the `type-var` ignores here and on those connections.
N = TypeVar("N")


class UnknownNodeIsNull(FieldExtension):
    """`node(id:)` with the well-formed ID of a type that is not a Node (a certificate, a capacity listing, a
    payment instruction) or of no type at all: not found, like any other ID one may not see — not Strawberry's
    GlobalIDValueError in the errors."""

    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except GlobalIDValueError:
            return None

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            result = next_(source, info, **kwargs)
            return await result if inspect.isawaitable(result) else result
        except GlobalIDValueError:
            return None


def decode_id(value: strawberry.ID | str, type_name: str, field: str) -> UUID:
    """A Relay global ID of `type_name` -> its UUID; anything else is 'not found' on `field`."""
    try:
        gid = relay.GlobalID.from_id(value)
        if gid.type_name != type_name:
            raise ValueError(gid.type_name)
        return UUID(gid.node_id)
    except (ValueError, TypeError, AttributeError):
        raise NotFound(type_name.lower(), field) from None


def decode_ids(values: Sequence[strawberry.ID], type_name: str, field: str) -> list[UUID]:
    return [decode_id(value, type_name, field) for value in values]


def encode_id(type_name: str, value: UUID) -> strawberry.ID:
    return strawberry.ID(str(relay.GlobalID(type_name, str(value))))


def connection(
    connection_class: type[relay.Connection[N]],  # type: ignore[type-var]
    page: Page[Any],
    convert: Callable[[Any], N],
) -> relay.Connection[N]:  # type: ignore[type-var]
    pairs = zip(page.items, page.cursors, strict=True)
    edges = [relay.Edge(cursor=cursor, node=convert(item)) for item, cursor in pairs]  # type: ignore[type-var]
    return connection_class(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
    )
