"""BatchLoader's lazy priming answers what DataLoader's own priming answers, without a future per primed key."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import pytest
from strawberry.dataloader import DefaultCache

from api.loaders import MISSING, BatchLoader


class _Context:
    @asynccontextmanager
    async def db(self) -> AsyncIterator[None]:
        yield None  # the loader below reads no database


class Squares(BatchLoader[int, int]):
    def __init__(self) -> None:
        super().__init__(_Context())  # type: ignore[arg-type]
        self.batches: list[list[int]] = []

    async def fetch(self, session: Any, keys: list[int]) -> Mapping[int, int]:
        self.batches.append(sorted(keys))
        return {key: key * key for key in keys}


async def test_primed_values_answer_without_a_fetch_and_the_rest_come_in_one_batch() -> None:
    loader = Squares()
    loader.prime_many({2: -4, 3: -9})

    values = await loader.load_many([1, 2, 3, 5])

    assert values == [1, -4, -9, 25]
    assert loader.batches == [[1, 5]]
    assert len(_futures(loader)) == 4  # the primed keys that were loaded, and the fetched ones
    assert await loader.load(3) == -9 and loader.batches == [[1, 5]]


async def test_a_primed_key_is_never_made_a_future_until_loaded() -> None:
    loader = Squares()
    loader.prime_many({n: -n for n in range(1000)})

    assert len(_futures(loader)) == 0
    assert await loader.load(7) == -7
    assert len(_futures(loader)) == 1


async def test_a_value_already_loaded_wins_over_a_later_prime_unless_forced() -> None:
    loader = Squares()
    assert await loader.load(4) == 16

    loader.prime_many({4: -1})
    assert await loader.load(4) == 16
    loader.prime_many({4: -1}, force=True)
    assert await loader.load(4) == -1
    assert loader.batches == [[4]]


async def test_the_first_prime_wins_and_clearing_drops_a_primed_value() -> None:
    loader = Squares()
    loader.prime_many({6: -6})
    loader.prime_many({6: -66, 8: -8})
    loader.clear(8)
    loader.prime_many({9: -9})
    loader.clear_all()
    loader.prime_many({10: -10})
    loader.clear_many([10])

    assert await loader.load_many([6, 8, 9, 10]) == [36, 64, 81, 100]
    assert loader.batches == [[6, 8, 9, 10]]


async def test_priming_a_key_whose_load_is_pending_answers_it_without_a_fetch() -> None:
    loader = Squares()
    pending = loader.load(11)
    other = loader.load(12)

    loader.prime_many({11: -11})

    assert await asyncio.gather(pending, other) == [-11, 144]
    assert loader.batches == [[12]]


class Failing(Squares):
    async def fetch(self, session: Any, keys: list[int]) -> Mapping[int, int]:
        raise RuntimeError("database down")


async def test_loaded_answers_only_what_is_at_hand_and_never_waits() -> None:
    loader = Squares()
    loader.prime_many({2: -4})

    assert loader.loaded(2) == -4  # primed
    assert loader.loaded(3) is MISSING  # never asked for
    pending = loader.load(3)
    assert loader.loaded(3) is MISSING  # asked for, not fetched yet
    assert await pending == 9
    assert loader.loaded(3) == 9
    assert loader.batches == [[3]]  # loaded() itself fetched nothing

    failing = Failing()
    with pytest.raises(RuntimeError, match="database down"):
        await failing.load(1)
    assert failing.loaded(1) is MISSING  # a failed load is not an answer: the field loads, and reports it


def _futures(loader: Squares) -> dict[Any, Any]:
    """What the loader's cache holds: a future for each key loaded (the default cache keeps them in a dict)."""
    cache = loader.cache_map
    assert isinstance(cache, DefaultCache)
    return cache.cache_map
