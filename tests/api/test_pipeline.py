"""api/execution/pipeline.py: the schema extensions' hooks run by HookRunner as Strawberry's own runner runs them —
the same calls in the same order, the same answers and errors, the unusual cases (a hook that raises before or
after its yield, yields twice, swallows what is thrown into it) too."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension

from api.execution import pipeline
from api.schema import build_schema
from exchange.settings import Settings
from tests.api.engine_mode import engine_only

LOG: list[str] = []


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world", mode: str | None = None) -> str:
        LOG.append(f"resolve {name}")
        if name == "boom":
            raise ValueError("boom")
        return f"hello {name}"


def _mode(extension: SchemaExtension) -> str:
    return str(extension.execution_context.variables.get("mode", "")) if extension.execution_context.variables else ""


class Outer(SchemaExtension):
    """A generator hook around the operation that records what was thrown into it and may swallow it."""

    def on_operation(self) -> Iterator[None]:
        LOG.append("outer enter")
        try:
            yield
        except Exception as error:
            LOG.append(f"outer caught {type(error).__name__}: {error}")
            if _mode(self) != "swallow":
                raise
        finally:
            LOG.append("outer exit")

    def get_results(self) -> dict[str, Any]:
        return {"outer": len(LOG)}


class AsyncAround(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        LOG.append("async enter")
        try:
            yield
        finally:
            LOG.append("async exit")
        if _mode(self) == "async-raises-after":
            raise RuntimeError("async hook failed after its yield")

    async def on_validate(self) -> AsyncIterator[None]:
        LOG.append("async validate")
        yield


class Plain(SchemaExtension):
    # A plain callable runs on entry, a coroutine function too; Strawberry's annotation names only generators.
    def on_parse(self) -> None:  # type: ignore[override]
        LOG.append("plain parse")

    async def on_execute(self) -> None:  # type: ignore[override]
        LOG.append("coroutine execute")


class Misbehaving(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        mode = _mode(self)
        LOG.append(f"misbehaving enter {mode}")
        if mode == "raise-before":
            raise ValueError("refused before the yield")
        if mode == "no-yield":
            return
        yield
        if mode in ("raise-after", "swallow"):  # (swallowed by Outer in "swallow")
            raise ValueError("failed after the yield")
        if mode == "yield-twice":
            yield
        LOG.append("misbehaving exit")

    def on_operation(self) -> Iterator[None]:
        yield
        LOG.append("misbehaving operation exit")


EXTENSIONS = [Outer, AsyncAround, Plain, Misbehaving]


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    stock = strawberry.Schema(query=Query, extensions=EXTENSIONS)
    ours = strawberry.Schema(query=Query, extensions=EXTENSIONS)
    pipeline.install(ours)
    return stock, ours


STOCK, OURS = _schemas()


def _without_addresses(outcome: tuple[Any, ...]) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", repr(outcome))


def _outcome(run: Any) -> tuple[Any, ...]:
    LOG.clear()
    try:
        result = run()
    except Exception as error:  # what escapes Schema.execute (none of these cases should)
        return ("raised", type(error).__name__, str(error), list(LOG))
    errors = [error.formatted for error in result.errors or []]
    return (result.data, errors, result.extensions, list(LOG))


MODES = ["", "swallow", "async-raises-after", "raise-before", "no-yield", "raise-after", "yield-twice"]


async def _async_outcome(schema: strawberry.Schema, document: str, variables: dict[str, Any]) -> tuple[Any, ...]:
    LOG.clear()
    try:
        result = await schema.execute(document, variable_values=variables)
    except Exception as error:  # what escapes Schema.execute (none should)
        return ("raised", type(error).__name__, str(error), list(LOG))
    errors = [error.formatted for error in result.errors or []]
    return (result.data, errors, result.extensions, list(LOG))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["you", "boom"])
async def test_the_hooks_run_as_strawberrys_runner_runs_them(mode: str, name: str) -> None:
    document = "query($name: String!, $mode: String) { hello(name: $name, mode: $mode) }"
    variables = {"name": name, "mode": mode}
    expected = await _async_outcome(STOCK, document, variables)

    actual = await _async_outcome(OURS, document, variables)

    assert actual == expected
    log = actual[-1]
    assert "outer enter" in log and "outer exit" in log  # the case ran its hooks at all
    assert f"misbehaving enter {mode}" in log  # with its mode (the document is valid)


async def test_a_refused_document_runs_the_same_hooks() -> None:
    for document in ("{ hello(", "{ nope }", "mutation { hello }"):
        LOG.clear()
        try:
            expected: Any = await STOCK.execute(document)
        except Exception as error:
            expected = type(error).__name__
        expected_log = list(LOG)
        LOG.clear()
        try:
            actual: Any = await OURS.execute(document)
        except Exception as error:
            actual = type(error).__name__
        assert LOG == expected_log
        if isinstance(expected, str):
            assert actual == expected
        else:
            assert [e.formatted for e in actual.errors] == [e.formatted for e in expected.errors]


class SyncOnly(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        LOG.append("sync enter")
        yield
        LOG.append("sync exit")
        if _mode(self) == "raise-after":
            raise ValueError("failed after the yield")

    def on_execute(self) -> Iterator[None]:
        yield
        if _mode(self) == "yield-twice":
            yield


class SyncPlain(SchemaExtension):
    def on_validate(self) -> None:  # type: ignore[override]  # a plain hook, as Plain's
        LOG.append("plain validate")


@pytest.mark.parametrize("mode", ["", "raise-after", "yield-twice"])
def test_sync_execution_runs_the_same_hooks(mode: str) -> None:
    stock = strawberry.Schema(query=Query, extensions=[SyncOnly, SyncPlain])
    ours = strawberry.Schema(query=Query, extensions=[SyncOnly, SyncPlain])
    pipeline.install(ours)
    document = "query($mode: String) { hello(mode: $mode) }"

    expected = _outcome(lambda: stock.execute_sync(document, variable_values={"mode": mode}))
    actual = _outcome(lambda: ours.execute_sync(document, variable_values={"mode": mode}))

    assert _without_addresses(actual) == _without_addresses(expected)
    assert "sync enter" in actual[-1]
    assert (actual[1] == []) is (mode == "")  # the misbehaving hooks were reached


def test_an_async_hook_in_sync_execution_is_refused_alike() -> None:
    document = "{ hello }"
    expected = _outcome(lambda: STOCK.execute_sync(document))
    actual = _outcome(lambda: OURS.execute_sync(document))

    assert "failed to complete synchronously" in repr(actual)
    assert _without_addresses(actual) == _without_addresses(expected)


@engine_only
def test_the_api_schema_runs_its_hooks_through_the_pipeline_with_one_shared_middleware_manager() -> None:
    schema = build_schema(Settings(execution_engine="compiled"))
    extensions = schema.get_extensions()

    runner = schema.create_extensions_runner(None, extensions)  # type: ignore[arg-type]

    assert isinstance(runner, pipeline.HookRunner)
    assert schema._get_middleware_manager(extensions) is schema._get_middleware_manager(schema.get_extensions())
    assert schema._get_middleware_manager(extensions)._middleware_resolvers is None
