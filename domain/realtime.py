"""Realtime events: what a subscriber hears about, announced inside the transaction that made the change.

A use case calls `announce(uow, topic, key, **data)`; the unit of work sends the announcements with
`pg_notify` right before it commits, so they reach listeners only if the change did (PostgreSQL delivers
notifications on commit and drops them on rollback). Every API process listens on one channel and hands
each event to its own subscribers (exchange/realtime.py). Payloads are small — ids and a kind — and what an
event names is read on each process once for all its subscribers, each of which is then given only what its
viewer may see of it (domain/fanout/service.py): an event never carries data past the reader's permissions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

import orjson

CHANNEL = "exchange_events"

T = TypeVar("T")


class EventTopic(StrEnum):
    """What an event is about; the key names the thing (an order, a contract, a user)."""

    bid_activity = "bid_activity"  # key: order id; data: kind (placed, revised, withdrawn), bid
    contract = "contract"  # key: contract id; data: transition
    notification = "notification"  # key: user id; data: id
    session = "session"  # key: auth token id; data: ended (signed_out): its websockets close


@dataclass(frozen=True, slots=True)
class Event:
    topic: EventTopic
    key: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def encode(self) -> str:
        return orjson.dumps({"t": self.topic.value, "k": self.key, "d": dict(self.data)}).decode()

    @classmethod
    def decode(cls, payload: str) -> Event:
        raw = orjson.loads(payload)
        return cls(EventTopic(raw["t"]), str(raw["k"]), raw.get("d") or {})


class Announcer(Protocol):
    events: list[Event]


def announce(uow: Announcer, topic: EventTopic, key: UUID | str, **data: Any) -> None:
    """Tell the subscribers of (`topic`, `key`) once the unit of work commits; nothing if it rolls back."""
    uow.events.append(Event(topic, str(key), {k: str(v) if isinstance(v, UUID) else v for k, v in data.items()}))


class EventStream(Protocol):
    """The per-process fan-out that subscriptions read from (exchange/realtime.py implements it)."""

    def subscribe(self, topic: EventTopic, key: UUID | str) -> AbstractAsyncContextManager[AsyncIterator[Event]]:
        """Events on (`topic`, `key`) from now on, until the block exits."""
        ...

    def watch(
        self, topic: EventTopic, key: UUID | str, prepare: Callable[[Event], Awaitable[T | None]]
    ) -> AbstractAsyncContextManager[AsyncIterator[Shared[T]]]:
        """Events on (`topic`, `key`), each with what `prepare` read for it once for every watcher on this process;
        iterating raises SubscriberLagging when this watcher fell too far behind."""
        ...

    def open_watch(
        self, topic: EventTopic, key: UUID | str, prepare: Callable[[Event], Awaitable[T | None]]
    ) -> Watch[T]:
        """`watch` in force from the moment it returns (no await in between), until closed."""
        ...

    def attach(self, topic: EventTopic, key: UUID | str) -> AbstractContextManager[None]:
        """Count a subscription that hears (`topic`, `key`) through a watch it shares with others."""
        ...

    async def until_listening(self) -> None:
        """Returns once the process hears every event committed from now on (its LISTEN is in force)."""
        ...

    def subscriber_count(self, topic: EventTopic | None = None) -> int:
        """Subscriptions listening on this process now (all topics, or `topic`'s)."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Watch(Protocol[T]):
    """A watch opened without a block (`EventStream.open_watch`): it is offered the events with a `seq` above
    `start`; `offered` is the last position its room offered."""

    start: int

    @property
    def offered(self) -> int: ...

    @property
    def closed(self) -> bool: ...

    def events(self) -> AsyncIterator[Shared[T]]: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Shared(Generic[T]):
    """An event and what this process read for it once, for all its watchers (exchange/realtime.py `watch`)."""

    event: Event
    value: T
    heard_at: float = 0.0  # time.perf_counter() when this process heard the event (for the delivery timings)
    # Its position among the events this process offered its watchers (increasing; the fan-out's hand-overs
    # between two watches of the same thing use it: api/realtime/fanout.py).
    seq: int = 0


class SubscriberLagging(Exception):
    """A watcher fell so far behind (its socket not reading) that events were dropped for it: its subscription
    closes the socket with 1013 (try again later), so that the client reconnects and re-reads current state."""


class EventsMissed(SubscriberLagging):
    """The process's listener was away (its connection dropped, and is back): events committed meanwhile were not
    heard, by any of its subscribers. Each subscription closes its socket with 1013 and a reason that says so, so
    that the client reconnects and re-reads what it shows — nothing is lost to it silently."""
