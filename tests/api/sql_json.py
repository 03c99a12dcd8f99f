"""What the tests of JSON written by PostgreSQL share (tests/api/test_sql_json*.py, test_order_detail_reads.py): an
answer's exact bytes, and the same answer by the server's own completion, with no read asking for JSON."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

import api.orders.queries as order_queries
from api.execution import sql_json


async def raw_answer(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None) -> bytes:
    """The response body as the server wrote it (an answer without errors)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    assert b'"errors"' not in response.content, response.content
    return response.content


async def without_json(monkeypatch: pytest.MonkeyPatch, ask: Callable[[], Awaitable[bytes]]) -> bytes:
    """`ask()` answered by the server's own completion: no read asks PostgreSQL for JSON."""
    with monkeypatch.context() as patch:
        patch.setattr(sql_json, "parts_below", lambda *args, **kwargs: None)
        return await ask()


def whole_order_reads(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Each read of a whole order as one JSON text (domain/bids/service.py order_json, as `order(id)` calls it), in
    order: its text, or None for an order the viewer may not see."""
    reads: list[str | None] = []
    original = order_queries.order_json

    async def spy(*args: Any, **kwargs: Any) -> str | None:
        found = await original(*args, **kwargs)
        reads.append(found)
        return found

    monkeypatch.setattr(order_queries, "order_json", spy)
    return reads
