"""A websocket's sign-in lasts only as long as its token.

The socket signs in once, with connection_init; after that the token may be signed out (revoked) or run
past its expiry while subscriptions are still open. Then the socket is closed with 4401 and a reason, and
every subscription on it ends:

- sign-out announces on the session topic (domain/identity/service.py), so a socket on any API process
  closes at once;
- each socket re-checks its token every EXCHANGE_WS_AUTH_CHECK_SECONDS, and at the token's expiry (this
  also catches a sign-out announced while the process's listener was reconnecting, and picks up changed
  organisation memberships for the re-reads);
- before delivering an event, a subscription checks the expiry it knows (no SQL), so an expired socket
  never gets one more event.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import structlog
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from api.context import Context
from api.limits import encode_json
from api.realtime.closing import ENDED, EXPIRED, LAGGING, LAGGING_CODE, wait_for_close
from api.realtime.fanout import JOINING, Fanout, Member, SocketWriter
from api.realtime.memory import CROWD
from domain.identity.service import authenticate
from domain.realtime import EventTopic

log = structlog.get_logger(__name__)


async def recheck(ctx: Context) -> str | None:
    """Authenticate the socket's token again: None (and the fresh actor on the context) if it still holds,
    else the reason to close."""
    async with ctx.deps.session_factory() as session:
        actor = await authenticate(session, token=ctx.ws_token, now=ctx.clock.now())
    if actor.authenticated:
        ctx.actor = actor
        return None
    expires_at = ctx.actor.token_expires_at
    return EXPIRED if expires_at is not None and ctx.clock.now() >= expires_at else ENDED


async def watch_session(ctx: Context, on_checked: Callable[[], None] | None = None) -> None:
    """Runs beside the socket from its connection_ack until it closes; closes it when the sign-in ends, and
    calls `on_checked` after each check that found it still holding (the actor, memberships too, read again)."""
    wake = asyncio.Event()

    async def listen() -> None:
        if ctx.deps.events is None:
            return
        async with ctx.deps.events.subscribe(EventTopic.session, str(ctx.actor.token_id)) as events:
            async for _ in events:
                wake.set()

    listener = asyncio.create_task(listen(), name="ws-session-listener")
    try:
        while ctx.ws_ended is None:
            wait = ctx.settings.ws_auth_check_seconds
            if ctx.actor.token_expires_at is not None:
                wait = min(wait, max((ctx.actor.token_expires_at - ctx.clock.now()).total_seconds(), 0.0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=wait)
            wake.clear()
            try:
                reason = await recheck(ctx)
            except Exception as error:  # the database is away: keep the socket, try again on the next tick
                log.warning("ws.session_check_failed", error=repr(error))
                continue
            if reason is not None:
                log.info("ws.session_ended", reason=reason, user=str(ctx.actor.user_id))
                await ctx.end_session(reason)
            elif on_checked is not None:
                on_checked()
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener


async def still_signed_in(ctx: Context) -> bool:
    """Before a subscription delivers an event: False (and the socket closing) once the sign-in ended."""
    if ctx.session_live():
        return True
    await ctx.end_session(ctx.ws_ended or EXPIRED)
    return False


async def fell_behind(ctx: Context, reason: str = LAGGING) -> None:
    """A subscription that missed events because its socket did not keep up (SubscriberLagging), or because the
    process's listener was away (EventsMissed, `reason` MISSED): the socket is closed with 1013, which graphql-ws
    retries by itself; the client re-reads what it shows on reconnecting."""
    log.info("ws.lagging", user=str(ctx.actor.user_id), reason=reason)
    await ctx.end_session(reason, code=LAGGING_CODE)
    await wait_for_close()


class SessionBoundTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, with the session watcher running from connection_ack to the socket's end; every
    frame goes out through the socket's writer (api/realtime/fanout.py), and subscriptions are served by their
    execution group when the view has one."""

    _session_watcher: asyncio.Task[None] | None = None
    _writer: SocketWriter | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members: set[Member] = set()

    @property
    def writer(self) -> SocketWriter:
        if self._writer is None:
            self._writer = SocketWriter(self.context)
        return self._writer

    @property
    def fanout(self) -> Fanout | None:
        return getattr(self.view, "fanout", None)

    async def handle(self) -> None:
        CROWD.opened()
        try:
            await super().handle()
        finally:
            CROWD.closed()

    async def send_message(self, message: Any) -> None:
        self.writer.offer(encode_json(message).decode())

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        if self.fanout is None:
            await super().run_operation(operation)
            return
        member = Member(self, operation)
        JOINING.set(member)  # this operation's task only
        self._members.add(member)
        try:
            await super().run_operation(operation)
        finally:
            self._members.discard(member)

    def _rights_checked(self) -> None:
        for member in list(self._members):
            member.rights_checked()

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._session_watcher is None:
            self._session_watcher = asyncio.create_task(
                watch_session(self.context, self._rights_checked), name="ws-session"
            )

    async def shutdown(self) -> None:
        if self._session_watcher is not None:
            self._session_watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._session_watcher
        await super().shutdown()
        if self._writer is not None:
            self._writer.stop()
