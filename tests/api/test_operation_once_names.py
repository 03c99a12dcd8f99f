"""api/extensions.py `OperationOnce`: the operation's name and type as Strawberry's ExecutionContext answers them,
worked out once per document (and name given) across requests, errors raised each time."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse
from strawberry.types import ExecutionContext
from strawberry.utils import operation

from api import extensions
from api.extensions import OperationOnce

DOCUMENTS = [
    "{ __typename }",
    "query Q { __typename }",
    "mutation M { signOut }",
    "query A { __typename } mutation B { signOut } subscription C { x }",
    "fragment F on Query { __typename } subscription S { ...F }",
]
NAMES = [None, "A", "B", "C", "Q", "M", "S", "Nope"]


def _context(cls: type[ExecutionContext], document: Any, name: str | None) -> ExecutionContext:
    context = cls(query="", schema=None, allowed_operations=(), provided_operation_name=name)  # type: ignore[arg-type]
    context.graphql_document = document
    return context


def _answer(context: ExecutionContext, attribute: str) -> Any:
    try:
        return getattr(context, attribute)
    except RuntimeError as error:
        return ("raised", str(error))


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_answers_are_strawberrys_request_after_request(text: str) -> None:
    document = parse(text)
    for _request in range(3):
        for name in NAMES:
            for attribute in ("operation_name", "operation_type"):
                expected = _answer(_context(ExecutionContext, document, name), attribute)
                assert _answer(_context(OperationOnce, document, name), attribute) == expected


def test_no_document_raises_each_time() -> None:
    for _request in range(2):
        assert _answer(_context(OperationOnce, None, None), "operation_type") == (
            "raised",
            "No GraphQL document available",
        )
        assert _context(OperationOnce, None, None).operation_name is None


def test_a_document_is_walked_once_across_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    walks: list[str | None] = []
    original = operation.get_operation_type

    def counting(document: Any, name: str | None = None) -> Any:
        walks.append(name)
        return original(document, name)

    monkeypatch.setattr("strawberry.types.execution.get_operation_type", counting)
    extensions._KNOWN_TYPES.clear()
    document = parse("query Q { __typename }")
    for _request in range(5):
        context = _context(OperationOnce, document, None)
        assert context.operation_name == "Q"
        assert str(context.operation_type.value) == "query"

    assert walks == ["Q"]
