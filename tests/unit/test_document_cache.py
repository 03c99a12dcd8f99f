"""The engine's document cache: a query text is parsed and validated once, and answers stay those of a fresh parse."""

from __future__ import annotations

from typing import Any

import pytest

from api.execution import documents
from api.schema import build_schema
from exchange.settings import Environment, Settings


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    if Settings().execution_engine == "stock":
        pytest.skip("EXCHANGE_EXECUTION_ENGINE=stock keeps Strawberry's ParserCache and ValidationCache")
    seen: list[Any] = []
    real = documents.validate_document

    def counting(schema: Any, document: Any, rules: Any) -> Any:
        seen.append(document)
        return real(schema, document, rules)

    monkeypatch.setattr(documents, "validate_document", counting)
    return seen


def _schema() -> Any:
    return build_schema(Settings(env=Environment.test))


async def test_a_text_is_parsed_and_validated_once(validations: list[Any]) -> None:
    schema = _schema()
    query = "query Once { __typename }"
    first = await schema.execute(query)
    second = await schema.execute(query)
    assert first.errors is None and second.errors is None
    assert first.data == second.data == {"__typename": "Query"}
    assert len(validations) == 1


async def test_an_invalid_document_is_refused_every_time_with_the_same_errors(validations: list[Any]) -> None:
    schema = _schema()
    query = "query Bad { noSuchField }"
    first = await schema.execute(query)
    second = await schema.execute(query)
    assert first.errors and second.errors
    assert [e.message for e in first.errors] == [e.message for e in second.errors]
    assert "noSuchField" in first.errors[0].message
    assert len(validations) == 1


async def test_a_syntax_error_is_not_kept(validations: list[Any]) -> None:
    schema = _schema()
    for _ in range(2):
        result = await schema.execute("query Broken { __typename")
        assert result.errors and result.errors[0].message.startswith("Syntax Error")
    assert validations == []


async def test_the_token_limit_still_applies_to_a_cached_text() -> None:
    schema = build_schema(Settings(env=Environment.test, max_tokens=100))
    long_query = "query Long { " + " ".join(["__typename"] * 120) + " }"
    for _ in range(2):
        result = await schema.execute(long_query)
        assert result.errors and "token" in result.errors[0].message.lower()
