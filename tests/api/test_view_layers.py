"""The GraphQL view's one-layer execute (api/app.py `ExchangeGraphQL.execute_operation`) answers every request as
Strawberry's own two layers do: the same status, headers and body, refusals included."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from strawberry.http.async_base_view import AsyncBaseHTTPView

from api.app import ExchangeGraphQL

REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("POST", {"json": {"query": "{ __typename }"}}),
    ("POST", {"json": {"query": "query Q { __typename } query R { me { id } }", "operationName": "R"}}),
    ("POST", {"json": {"query": "query Q { __typename }", "operationName": "Nope"}}),  # no such operation
    ("POST", {"json": {"variables": {}}}),  # no query
    ("POST", {"json": {"query": "subscription { __typename }"}}),  # not a subscription field: refused
    ("POST", {"json": {"query": "{ nope }"}}),  # a validation error
    ("POST", {"json": {"query": "query($a: Int!) { __typename }", "variables": {"a": "x"}}}),
    ("POST", {"json": {"query": 'mutation { signIn(email: "x@y.z", password: "p") { __typename } }'}}),
    ("POST", {"json": [{"query": "{ __typename }"}, {"query": "{ me { id } }"}]}),  # a batch: Strawberry's own path
    ("GET", {"params": {"query": "{ __typename }"}}),  # GET: Strawberry's own path (queries via GET are off)
]


async def _answers(client: httpx.AsyncClient) -> list[tuple[int, list[tuple[str, str]], bytes]]:
    answers = []
    for method, arguments in REQUESTS:
        response = await client.request(method, "/graphql", headers={"x-request-id": "fixed-id"}, **arguments)
        headers = [(name, value) for name, value in response.headers.items()]
        answers.append((response.status_code, headers, response.content))
    return answers


async def test_every_request_gets_the_answer_strawberrys_two_layers_give(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = await _answers(client)
    monkeypatch.setattr(ExchangeGraphQL, "execute_operation", AsyncBaseHTTPView.execute_operation)

    strawberrys = await _answers(client)

    assert ours == strawberrys
    statuses = [status for status, _, _ in ours]
    assert statuses.count(200) >= 4 and 400 in statuses
    assert any(b"No GraphQL query found" in body for _, _, body in ours)
