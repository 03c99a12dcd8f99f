"""The fan-out hand-over as the realtime tests share it: a fan-out group's token, a viewer promoted in place,
an order's events heard from the hub, waiting for a condition, and reading a bid off a socket's frame. A test module
imports helpers from here, not from another test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import text

from api.context import Context
from api.relay import decode_id
from domain.actor import Role
from domain.realtime import Event, EventTopic
from domain.uow import SessionFactory
from tests.realtime.conftest import TIMEOUT, Instance, Socket
from tests.realtime.fanout import notify


def order_key(order_id: str) -> str:
    return str(decode_id(order_id, "Order", "orderId"))


def groups_with(api: Instance, role: Role) -> list[Any]:
    """The bidActivity groups whose viewers hold `role` in their organisation."""
    return [group for group in api.fanout.groups.values() if role in dict(group.key.audience[1]).values()]


def token_of(group: Any) -> UUID:
    member = next(iter(group.members))
    token_id = member.ctx.actor.token_id
    assert token_id is not None
    return token_id


async def promote(session_factory: SessionFactory, email: str, database_url: str, token_id: UUID) -> None:
    """Make the user an admin of their buyer, and have their socket re-check its sign-in now (an event on its token's
    session topic wakes the check; only a sign-out closes the socket)."""
    async with session_factory() as session:
        await session.execute(
            text(
                "UPDATE membership SET role = 'admin' FROM app_user "
                "WHERE app_user.id = membership.user_id AND app_user.email = :email"
            ),
            {"email": email},
        )
        await session.commit()
    await notify(database_url, Event(EventTopic.session, str(token_id), {"changed": "memberships"}))


@asynccontextmanager
async def heard(api: Instance, order_id: str) -> AsyncIterator[Callable[[], Awaitable[Event]]]:
    """A bare subscription on the order's events in the API process's hub: awaiting it returns once the process
    has heard the next event (whatever its groups and rooms are doing)."""
    async with api.hub.subscribe(EventTopic.bid_activity, order_key(order_id)) as events:

        async def next_event() -> Event:
            async with asyncio.timeout(TIMEOUT):
                return await anext(events)

        yield next_event


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(TIMEOUT):
        while not condition():  # noqa: ASYNC110  (another task's state)
            await asyncio.sleep(0.005)


def bid_of(frame: dict[str, Any]) -> tuple[str, bool]:
    bid = frame["bidActivity"]["bid"]
    return bid["id"], bid["viewerCanAward"]


async def no_more(ws: Socket, seconds: float = 0.3) -> None:
    """Nothing else arrives on the socket (no copy of what it already got)."""
    try:
        async with asyncio.timeout(seconds):
            message = await ws.receive()
    except TimeoutError:
        return
    raise AssertionError(f"one frame too many: {message}")


def hold_next_release(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], asyncio.Event, asyncio.Event]:
    """Contexts' release, patched: the context put in the returned list waits after its next release (its group's
    leader stops after its next event) until `release` is set; `held` is set when it has stopped there. Returns
    (hold, held, release)."""
    hold: list[Any] = []
    held, release = asyncio.Event(), asyncio.Event()
    context_release = Context.release

    async def release_held(self: Context) -> None:
        await context_release(self)
        if hold and hold[0] is self:
            hold.clear()
            held.set()
            await release.wait()

    monkeypatch.setattr(Context, "release", release_held)
    return hold, held, release
