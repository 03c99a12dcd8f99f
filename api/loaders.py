"""The DataLoader base: one batched query per kind of thing per request tick, through the read session."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from api.context import Context

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


_MISSING = object()
MISSING: Any = _MISSING  # what `loaded` answers for a key whose value is not at hand


class BatchLoader(DataLoader[K, V], Generic[K, V]):
    """Subclasses implement `fetch(session, keys) -> {key: value}`; missing keys load as `default`.

    `prime_many` keeps the values as given and primes a key only when it is loaded: a page of bids primes its
    bidders into OrganisationByIdLoader, and a future for each would cost a measurable share of the page for keys
    that are mostly never loaded again. Same answers as DataLoader's own priming (a value already cached wins;
    clearing a key drops its primed value; pending loads of the current batch get the value at once)."""

    default: Any = None

    def __init__(self, context: Context) -> None:
        self.context = context
        self._primed: dict[K, V] = {}
        super().__init__(load_fn=self._load)

    def load(self, key: K) -> Any:
        if self._primed:
            value = self._primed.pop(key, _MISSING)
            if value is not _MISSING:
                super().prime_many({key: value})  # type: ignore[dict-item]
        future: asyncio.Future[V] = super().load(key)  # type: ignore[assignment]  # its future, typed Awaitable
        return future if future.done() else _detached(future)

    def loaded(self, key: K) -> V | Any:
        """The key's value if it is already at hand (primed, or loaded successfully), else MISSING; never waits.
        A resolver can answer synchronously from it, and load (and be awaited) only otherwise."""
        value = self._primed.get(key, _MISSING)
        if value is not _MISSING:
            return value
        future = self.cache_map.get(key) if self.cache else None
        if future is None or not future.done() or future.cancelled() or future.exception() is not None:
            return _MISSING
        return future.result()

    def prime_many(self, data: Mapping[K, V], force: bool = False) -> None:
        if force or (self.batch is not None and not self.batch.dispatched and self.batch.tasks):
            for key in data:
                self._primed.pop(key, None)
            super().prime_many(data, force)
            return
        for key, value in data.items():
            self._primed.setdefault(key, value)

    def clear(self, key: K) -> None:
        self.clear_many([key])

    def clear_many(self, keys: Any) -> None:
        cached = []
        for key in keys:
            was_primed = self._primed.pop(key, _MISSING) is not _MISSING
            # A key primed here but never loaded is not in DataLoader's cache, which refuses to clear unknown keys.
            if not was_primed or self.cache_map.get(key) is not None:
                cached.append(key)
        super().clear_many(cached)

    def clear_all(self) -> None:
        self._primed.clear()
        super().clear_all()

    async def _load(self, keys: Sequence[K]) -> list[V]:
        async with self.context.db() as session:
            found = await self.fetch(session, list(keys))
        return [found.get(key, self.default() if callable(self.default) else self.default) for key in keys]

    async def fetch(self, session: AsyncSession, keys: list[K]) -> Mapping[K, V]:
        raise NotImplementedError


def _detached(future: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """A future of its own for one caller, settled with the shared one. graphql-core cancels the pending siblings
    of a field that failed (gather_with_cancel); cancelling the loader's cached future itself would cancel the
    load under every other field waiting for the same key (an alias of the same object), and its CancelledError
    would end the whole request. A settled future is handed out as it is: cancelling it does nothing."""
    proxy = future.get_loop().create_future()

    def settle(shared: asyncio.Future[Any]) -> None:
        if proxy.done():
            if not shared.cancelled():
                shared.exception()  # retrieved, so that asyncio does not report it as never retrieved
            return
        if shared.cancelled():
            proxy.cancel()
        elif (error := shared.exception()) is not None:
            proxy.set_exception(error)
        else:
            proxy.set_result(shared.result())

    future.add_done_callback(settle)
    return proxy
