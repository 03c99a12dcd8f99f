"""Shared helpers for Node types: resolving global IDs through the request's loaders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID


def parse_uuids(node_ids: Iterable[str]) -> list[UUID | None]:
    parsed: list[UUID | None] = []
    for node_id in node_ids:
        try:
            parsed.append(UUID(str(node_id)))
        except ValueError:
            parsed.append(None)
    return parsed


async def load_nodes(loader: Any, node_ids: Iterable[str], convert: Any) -> list[Any]:
    """Load many by ID string; malformed or invisible IDs come back as None (Relay's 'not found')."""
    uuids = parse_uuids(node_ids)
    rows = await loader.load_many([u for u in uuids if u is not None])
    by_id = {u: row for u, row in zip([u for u in uuids if u is not None], rows, strict=True)}
    return [convert(by_id[u]) if u is not None and by_id.get(u) is not None else None for u in uuids]
