"""The schema extensions' hooks run with less work per request: the same hooks, in the same order, with the same
semantics as Strawberry's SchemaExtensionsRunner.

Why: Strawberry's runner, on every request and for each of its four steps (operation, parsing, validation,
execution), asks every extension whether it has the step's hook (`inspect` on each), wraps each hook it finds in a
fresh `contextlib.contextmanager` (functools.wraps and all) and enters them through an ExitStack; it also collects
every extension's (empty) results and builds a middleware manager by asking each extension whether it resolves.
With the API's nine extensions that was some 75 µs a request — a quarter of a trivial query's whole cost.

What: `install(schema)` gives the schema a runner (`HookRunner`) whose steps look each hook up on the extension's
class (`getattr`, as Strawberry does), tell its kind once per hook function (a generator, an async generator, a
coroutine function or a plain callable, as Strawberry's `get_hook` does), and run it directly: a generator is
advanced to its `yield` on entry and resumed on exit; a plain callable or coroutine runs on entry and has nothing
to do on exit (Strawberry's wrapper around it is a generator that only yields). Exits run in reverse order. When
the body raised, or a hook raises or does not stop on exit, the rest of the exit is handed to contextlib's own
ExitStack and generator context managers, over the same started generators: every unusual case unwinds exactly as
Strawberry's runner would (the RuntimeErrors for a generator that yields twice, exception contexts, and what a hook
that swallows an exception does: the hooks outside it see none, yet the step re-raises it, since Strawberry's
steps never suppress).
Which extension has which hook, and its kind, is worked out once per list of extension classes (a schema has one)
and kept (`_plans`), not asked again of every request's nine fresh extensions.
Extensions whose class keeps SchemaExtension.get_results (an empty dict) are not asked for results, and with no
extension that has a `resolve` hook (the engine refuses those: api/execution/__init__.py) the middleware manager
is one empty manager shared by every request (it holds no per-request state when empty).

tests/api/test_pipeline.py runs the same hooks through both runners, the unusual cases too.
"""

from __future__ import annotations

import contextlib
import inspect
from asyncio import iscoroutinefunction
from collections.abc import Callable
from types import TracebackType
from typing import Any

import strawberry
from graphql import MiddlewareManager
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.utils.await_maybe import await_maybe

# How a hook runs (Strawberry's get_hook decides the same way, in the same order).
_GENERATOR, _ASYNC_GENERATOR, _COROUTINE, _CALLABLE = range(4)
_KINDS: dict[Any, int] = {}  # hook function -> its kind (functions outlive requests; a few dozen at most)
_DEFAULT_GET_RESULTS = SchemaExtension.get_results


def _kind(hook: Any, extension: SchemaExtension, name: str) -> int:
    kind = _KINDS.get(hook)
    if kind is None:
        if inspect.isgeneratorfunction(hook):
            kind = _GENERATOR
        elif inspect.isasyncgenfunction(hook):
            kind = _ASYNC_GENERATOR
        elif iscoroutinefunction(hook):
            kind = _COROUTINE
        elif callable(hook):
            kind = _CALLABLE
        else:
            raise ValueError(f"Hook {name} on {extension} must be callable, received {hook!r}")
        _KINDS[hook] = kind
    return kind


def _generator_exit(generator: Any) -> Any:
    """contextlib's context manager over a generator already advanced to its yield (its __exit__ reads only
    `gen`)."""
    manager = object.__new__(contextlib._GeneratorContextManager)
    manager.gen = generator
    return manager


def _async_generator_exit(generator: Any) -> Any:
    manager = object.__new__(contextlib._AsyncGeneratorContextManager)
    manager.gen = generator
    return manager


def _raiser(error: BaseException) -> Callable[..., bool]:
    def reraise(*_exc_details: Any) -> bool:
        raise error

    return reraise


# extensions' classes -> step -> its hooks; also "results": who has get_results, "resolves": whether any resolves
_PLANS: dict[tuple[type, ...], dict[str, Any]] = {}
_MAX_PLANS = 64  # a schema has one list of extension classes (two with directives); more is not worth keeping


def _plan(extensions: list[SchemaExtension], name: str) -> list[tuple[int, Any, int]]:
    """A step's hooks for extensions of these classes: (position, hook, kind), in order. The hooks are looked up on
    the classes (as Strawberry's runner does), so a plan holds for any extensions of the same classes."""
    default = getattr(SchemaExtension, name)
    plan = []
    for index, extension in enumerate(extensions):
        hook = getattr(type(extension), name)
        if hook is not default:
            plan.append((index, hook, _kind(hook, extension, name)))
    return plan


def _plans(extensions: list[SchemaExtension]) -> dict[str, Any]:
    key = tuple(map(type, extensions))
    plans = _PLANS.get(key)
    if plans is None:
        plans = {}
        if len(_PLANS) < _MAX_PLANS:
            _PLANS[key] = plans
    return plans


class _Step:
    """One step's hooks (e.g. every extension's on_operation), entered in order and exited in reverse."""

    __slots__ = ("entered", "extensions", "hooks", "name")

    def __init__(self, extensions: list[SchemaExtension], name: str, plans: dict[str, Any]) -> None:
        self.name = name
        plan = plans.get(name)
        if plan is None:
            plan = plans[name] = _plan(extensions, name)
        self.extensions = extensions
        self.hooks: list[tuple[int, Any, int]] = plan  # (the extension's position, its hook, the hook's kind)
        # (is a generator async, the started generator), in the order entered
        self.entered: list[tuple[bool, Any]] = []

    # ---- async (Schema.execute, subscriptions) ----

    async def __aenter__(self) -> None:
        entered, extensions = self.entered, self.extensions
        for index, hook, kind in self.hooks:
            extension = extensions[index]
            if kind is _GENERATOR:
                generator = hook(extension)
                try:
                    next(generator)
                except StopIteration:
                    raise RuntimeError("generator didn't yield") from None
                entered.append((False, generator))
            elif kind is _ASYNC_GENERATOR:
                generator = hook(extension)
                try:
                    await anext(generator)
                except StopAsyncIteration:
                    raise RuntimeError("generator didn't yield") from None
                entered.append((True, generator))
            elif kind is _COROUTINE:
                await hook(extension)
            else:
                hook(extension)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        entered = self.entered
        raised: BaseException | None = None
        if exc_type is None:
            while entered:
                is_async, generator = entered.pop()
                try:
                    if is_async:
                        await anext(generator)
                    else:
                        next(generator)
                except (StopIteration, StopAsyncIteration):
                    continue
                except BaseException as error:  # the hook raised after its yield
                    raised = error
                    break
                try:  # it yielded again: contextlib's error, the generator closed
                    try:
                        raise RuntimeError("generator didn't stop")
                    finally:
                        if is_async:
                            await generator.aclose()
                        else:
                            generator.close()
                except RuntimeError as error:
                    raised = error
                break
            else:
                return
        # From here exactly as Strawberry's AsyncExitStack goes on: the exception in flight (the body's, or the one
        # a hook's exit just raised, re-raised first by the stack so that it chains as it would) handed outwards.
        stack = contextlib.AsyncExitStack()
        for is_async, generator in entered:
            if is_async:
                stack.push_async_exit(_async_generator_exit(generator))
            else:
                stack.push(_generator_exit(generator))
        entered.clear()
        if raised is not None:
            stack.push(_raiser(raised))
        # What the stack answers is dropped, as Strawberry's runner drops it: a hook cannot suppress an exception.
        await stack.__aexit__(exc_type, exc, traceback)

    # ---- sync (Schema.execute_sync) ----

    def __enter__(self) -> None:
        entered, extensions = self.entered, self.extensions
        for index, hook, kind in self.hooks:
            extension = extensions[index]
            if kind is _ASYNC_GENERATOR or kind is _COROUTINE:
                raise RuntimeError(f"SchemaExtension hook {extension}.{self.name} failed to complete synchronously.")
            if kind is _GENERATOR:
                generator = hook(extension)
                try:
                    next(generator)
                except StopIteration:
                    raise RuntimeError("generator didn't yield") from None
                entered.append((False, generator))
            else:
                hook(extension)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        stack = contextlib.ExitStack()
        for _is_async, generator in self.entered:
            stack.push(_generator_exit(generator))
        self.entered.clear()
        stack.__exit__(exc_type, exc, traceback)


class HookRunner(SchemaExtensionsRunner):
    """Strawberry's runner with `_Step`s (see the module's docstring)."""

    def __init__(self, execution_context: Any, extensions: list[SchemaExtension] | None = None) -> None:
        super().__init__(execution_context, extensions)
        self.plans = _plans(self.extensions)

    def operation(self) -> Any:
        return _Step(self.extensions, "on_operation", self.plans)

    def validation(self) -> Any:
        return _Step(self.extensions, "on_validate", self.plans)

    def parsing(self) -> Any:
        return _Step(self.extensions, "on_parse", self.plans)

    def executing(self) -> Any:
        return _Step(self.extensions, "on_execute", self.plans)

    def get_extensions_results_sync(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for extension in self.extensions:
            if type(extension).get_results is _DEFAULT_GET_RESULTS:
                continue
            if inspect.iscoroutinefunction(extension.get_results):
                raise RuntimeError("Cannot use async extension hook during sync execution")
            data.update(extension.get_results())  # type: ignore[arg-type]
        return data

    async def get_extensions_results(self, ctx: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        extensions = self.extensions
        with_results = self.plans.get("results")
        if with_results is None:
            with_results = self.plans["results"] = [
                index
                for index, extension in enumerate(extensions)
                if type(extension).get_results is not _DEFAULT_GET_RESULTS
            ]
        for index in with_results:
            data.update(await await_maybe(extensions[index].get_results()))
        data.update(ctx.extensions_results)
        return data


_NO_MIDDLEWARE = MiddlewareManager()


def install(schema: strawberry.Schema) -> None:
    """The schema runs its extensions' hooks through HookRunner (idempotent)."""
    schema.create_extensions_runner = _create_runner  # type: ignore[method-assign]
    schema._get_middleware_manager = _middleware_manager(schema._get_middleware_manager)  # type: ignore[method-assign, assignment]


def _create_runner(execution_context: Any, extensions: list[SchemaExtension]) -> SchemaExtensionsRunner:
    return HookRunner(execution_context=execution_context, extensions=extensions)


def _middleware_manager(
    strawberrys: Callable[[list[SchemaExtension]], MiddlewareManager],
) -> Callable[[list[SchemaExtension]], MiddlewareManager]:
    strawberrys = getattr(strawberrys, "strawberrys", strawberrys)

    def middleware_manager(extensions: list[SchemaExtension]) -> MiddlewareManager:
        plans = _plans(extensions)
        resolves = plans.get("resolves")
        if resolves is None:
            resolves = plans["resolves"] = any(type(extension)._implements_resolve() for extension in extensions)
        return strawberrys(extensions) if resolves else _NO_MIDDLEWARE

    middleware_manager.strawberrys = strawberrys  # type: ignore[attr-defined]  # install is idempotent
    return middleware_manager
