"""The DataLoader base: one batched query per kind of thing per request tick, through the read session."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from api.context import Context

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchLoader(DataLoader[K, V], Generic[K, V]):
    """Subclasses implement `fetch(session, keys) -> {key: value}`; missing keys load as `default`."""

    default: Any = None

    def __init__(self, context: Context) -> None:
        self.context = context
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[K]) -> list[V]:
        async with self.context.db() as session:
            found = await self.fetch(session, list(keys))
        return [found.get(key, self.default() if callable(self.default) else self.default) for key in keys]

    async def fetch(self, session: AsyncSession, keys: list[K]) -> Mapping[K, V]:
        raise NotImplementedError
