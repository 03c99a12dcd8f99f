"""Subscriptions executed once per group of sockets that must receive the same bytes, and written to each socket
without waiting on it.

Before, every socket's subscription ran the GraphQL selection for every event itself (graphql-core, Strawberry's
per-result pipeline, JSON): at 300 sockets on one order, 150 executions per event per process, in the event loop
the mutations run in. Now the sockets whose answers must be identical form a group, and the group runs the
subscription once (its *leader*: the same resolver, through the same `schema.stream`, as any subscriber) and
sends the encoded result to each member.

Who shares a group (`GroupKey`): the same subscription field, the same document, operation name and variables,
the same watched thing (topic and key), and the same *audience* — what the viewer's rights are for anything a
payload can show: operator or not, and the organisations the viewer belongs to with the role in each
(`audience`). Every field reachable from a subscription's payload decides what it shows from those
(`is_operator`, `is_member`, the role: e.g. `Bid.viewerCanAward` needs the buyer's admin role), never from the
viewer's user id; where a payload does depend on the user (notificationAdded), the watched key is the user, so
the group is that user's. Two members of a buyer with the same role share one execution; an admin and a member
of the same buyer do not (tests/realtime/test_fanout_groups.py counts the executions and compares the answers).

What stays per socket, decided as each result is handed out (no SQL): the socket's sign-in (a socket whose
token expired or was signed out is closed with 4401, as before), its audience, and its pace. Its pace: every
frame a socket is sent, `next` or not, goes through its `SocketWriter`, a bounded queue drained by a task of its
own, so that handing a result to 300 sockets never waits on any of them. A socket whose queue is full is not
reading: it is closed with 1013 (try again later; graphql-ws reconnects by itself and the client re-reads what it
shows) and its queue let go; the others are not delayed.

Nothing lost, nothing twice, when a socket changes hands. A group's watch on the hub is opened with the group,
without an await (`Fanout.join`, the hub's `open_watch`): the group hears every event from the moment it is made,
before its leader task has run. A socket joins its group *before* its permission check: what the group hears
from then on is kept for the socket (bounded) until the check passes, then sent; a refused socket gets its typed
error and nothing else. A socket whose viewer's rights changed — the periodic re-check of its token reads the
memberships again — moves to the group of its new audience at once (`Member.move`): it joins (or makes) that
group, and its old group goes on serving it the events its room had offered up to that moment (the *cutoff*, a
position every event gets as the hub offers it, `Shared.seq`), with the rights they were heard under; the new
group's results for later events wait until the old group has dealt with the cutoff, and its results for events
up to the cutoff are not used. A socket is never handed the same position twice. The old group, left empty,
stops. tests/realtime/test_fanout_handover.py forces each interleaving. Sockets not served by this view (a test
calling `schema.subscribe`) run the subscription themselves (`realtime_events` in api/realtime/subscriptions.py).

When events may have been missed by every socket of a group — the process's listener was away, or an event's read
failed past its retries (the hub's EventsMissed), or the leader fell behind — each socket is closed with 1013 and
a reason that says so, so that its client reconnects and re-reads: a gap is never silent.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
import structlog
from starlette.websockets import WebSocketDisconnect
from strawberry.types.execution import ExecutionResult
from strawberry.utils.aio import aclosing

from api.context import Context
from api.limits import encode_json
from api.observability import prometheus as metrics
from api.realtime.closing import EXPIRED, LAGGING, LAGGING_CODE, MISSED, wait_for_close
from domain.actor import Actor, Role
from domain.realtime import Event, EventTopic, Watch

if TYPE_CHECKING:
    from strawberry.schema.base import BaseSchema
    from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import Operation

    from api.realtime.session import SessionBoundTransportWSHandler

log = structlog.get_logger(__name__)

# Frames a socket may have waiting before it counts as not reading (a `next` is a few hundred bytes: 100 is
# ~50 s of a busy order's events at 2 a second, far past any client that is alive).
SOCKET_QUEUE_FRAMES = 100
# Results kept for a socket between joining its group and passing its permission check.
PENDING_FRAMES = 100


# Whether the viewer is an operator, and its role in each of its organisations.
Audience = tuple[bool, frozenset[tuple[UUID, Role]]]


def audience(actor: Actor) -> Audience:
    """What a viewer's rights are, for anything a subscription payload can show (see the module's docstring)."""
    return actor.is_operator, frozenset(actor.memberships.items())


@dataclass(frozen=True, slots=True)
class GroupKey:
    field: str
    topic: EventTopic
    key: str
    query: str
    operation_name: str | None
    variables: bytes
    audience: Audience


class Ending(Enum):
    COMPLETE = "complete"  # the subscription is over for this audience: `complete` is sent
    CLOSING = "closing"  # the socket is being closed (sign-in ended, fell behind): nothing more is sent
    RETRY = "retry"  # the group's execution failed or fell behind the events: the socket is closed with 1013
    MISSED = "missed"  # the process's listener was away (events may be missed): the socket is closed with 1013


# Set in a group's leader task: the resolver there runs the subscription for the whole group.
LEADING: ContextVar[Group | None] = ContextVar("fanout_leading", default=None)
# Set in a socket's operation task: the resolver there joins a group instead of executing every event itself.
JOINING: ContextVar[Member | None] = ContextVar("fanout_joining", default=None)


class SocketWriter:
    """Every frame one websocket is sent, in order, written by a task of its own; `offer` never waits."""

    __slots__ = ("_ctx", "_frames", "_task", "_wake", "closed", "limit")

    def __init__(self, ctx: Context, limit: int = SOCKET_QUEUE_FRAMES) -> None:
        self._ctx = ctx
        self._frames: deque[tuple[str, float]] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.limit = limit
        self.closed = False

    def offer(self, frame: str, heard_at: float = 0.0) -> bool:
        """Queue `frame`; False (and the socket closing with 1013) when `limit` frames were already waiting.
        `heard_at`: when the process heard the event the frame delivers (0: not an event's frame)."""
        if self.closed:
            return False
        if len(self._frames) >= self.limit:
            self.fell_behind()
            return False
        self._frames.append((frame, heard_at))
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="ws-writer")
        self._wake.set()
        return True

    def fell_behind(self, reason: str = LAGGING) -> None:
        """Close the socket with 1013: it is not reading (`reason` LAGGING), or its events may have been missed."""
        log.info("ws.lagging", user=str(self._ctx.actor.user_id), waiting=len(self._frames), reason=reason)
        if reason == LAGGING:
            metrics.REALTIME_SLOW_SOCKETS.inc()
        self.stop()
        closing = asyncio.get_running_loop().create_task(self._ctx.end_session(reason, code=LAGGING_CODE))
        _background.add(closing)
        closing.add_done_callback(_background.discard)

    def stop(self) -> None:
        """Nothing more is written: the waiting frames are let go and the writing task cancelled (it may be
        stuck on a socket that does not read)."""
        self.closed = True
        self._frames.clear()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()

    @property
    def waiting(self) -> int:
        return len(self._frames)

    async def _run(self) -> None:
        request = self._ctx.request
        try:
            while not self.closed:
                while self._frames:
                    frame, heard_at = self._frames.popleft()
                    await request.send_text(frame)  # type: ignore[union-attr]
                    if heard_at:
                        WRITTEN.observe(time.perf_counter() - heard_at)
                self._wake.clear()
                await self._wake.wait()
        except (WebSocketDisconnect, RuntimeError, OSError):  # the socket went: the handler winds down
            self.closed = True
            self._frames.clear()


_background: set[asyncio.Task[Any]] = set()
WRITTEN = metrics.REALTIME_DELIVERY.labels("written")
EXECUTED = metrics.REALTIME_DELIVERY.labels("executed")


class Member:
    """One socket's operation in a group (in two while it moves from one to the other)."""

    __slots__ = (
        "_actor",
        "_audience",
        "_id_json",
        "cutoff",
        "done",
        "group",
        "handed",
        "handler",
        "held",
        "leaving",
        "operation",
        "pending",
        "prepare",
        "topic",
        "watched",
    )

    def __init__(self, handler: SessionBoundTransportWSHandler, operation: Operation[Context, None]) -> None:
        self.handler = handler
        self.operation = operation
        self._id_json = orjson.dumps(operation.id).decode()
        # Results (payload, heard at) heard before the permission check passed; None once active.
        self.pending: list[tuple[str, float]] | None = []
        self.done: asyncio.Future[Ending] | None = None
        self.group: Group | None = None
        # What the socket watches (set by serve_grouped): the subscription field, topic, key and the event read.
        self.watched: tuple[str, str] = ("", "")
        self.topic: EventTopic | None = None
        self.prepare: Callable[[Event], Awaitable[Any]] | None = None
        # The last event position handed to this socket: a position is never handed twice.
        self.handed = 0
        # While moving: the group being left, which still serves the events up to `cutoff`; the new group's
        # results (payload, heard at, position) wait in `held` until the old group has served them.
        self.leaving: Group | None = None
        self.cutoff = 0
        self.held: list[tuple[str, float, int]] = []
        self._actor: Actor | None = None
        self._audience: Audience | None = None

    @property
    def ctx(self) -> Context:
        return self.handler.context

    def audience(self) -> Audience:
        actor = self.ctx.actor
        # The socket's token re-check puts a fresh actor on the context.
        if actor is not self._actor or self._audience is None:
            self._actor, self._audience = actor, audience(actor)
        return self._audience

    def rights_checked(self) -> None:
        """The socket's sign-in was just re-checked (its memberships read again): if the viewer's rights changed,
        move now, between events, to the group of the new rights."""
        if self.group is not None and self.pending is None and self.audience() != self.group.key.audience:
            self.move()

    def move(self) -> None:
        """Serve this socket from the group of its viewer's new rights, from the next event on, losing none and
        repeating none. Done at once (no await): the new group's watch is in force before this returns
        (`Fanout.join`); the old group goes on serving this socket the events its room offered up to now (the
        cutoff: those it may not have executed yet), with the rights they were heard under; the new group's
        results for later events wait until then, and its results for events up to the cutoff are not used."""
        current = self.group
        if current is None or self.done is None or self.done.done():
            return
        fanout = self.handler.fanout
        assert fanout is not None
        key = group_key(self, self.watched[0], self.watched[1])
        old = self.leaving
        if old is not None:
            # The rights changed again before the old group served the cutoff. Nothing has been handed from the group
            # in between (its results wait in `held`): it is left, and the old group serves up to this moment —
            # events are shown with the rights they were heard under, never with rights already gone.
            self.held = []
            fanout.leave(self, current)
            if key == old.key:  # back to the old rights: the old group serves this socket again, as before
                self.leaving, self.cutoff = None, 0
                old.leaving_members.discard(self)
                self.group = old
                return
            self.cutoff = old.offered()
            fanout.join(self, key)
            self.left_behind(old.position)
            return
        self.leaving, self.cutoff = current, current.offered()
        fanout.join(self, key)
        current.leaving_members.add(self)
        self.left_behind(current.position)

    def left_behind(self, position: int | None) -> None:
        """The group being left has served every event up to `position` (or ended, when `position` is None)."""
        old = self.leaving
        if old is None or (position is not None and position < self.cutoff):
            return
        self.leaving = None
        old.leaving_members.discard(self)
        old.fanout.leave(self, old)
        held, self.held = self.held, []
        for payload, heard_at, seq in held:
            self.hand(payload, heard_at, seq)

    def end(self, ending: Ending) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(ending)

    def activate(self) -> None:
        pending, self.pending = self.pending or [], None
        for payload, heard_at in pending:
            self.send(payload, heard_at)

    def receive(self, group: Group, payload: str, heard_at: float, seq: int) -> None:
        """A result `group` executed for the event at position `seq`."""
        if group is self.leaving:
            if seq <= self.cutoff:  # heard before the move: this group's to serve
                self.hand(payload, heard_at, seq)
            return
        if group is not self.group:
            return
        if self.leaving is not None:  # the old group has not served everything up to the cutoff yet
            if seq > self.cutoff:
                if len(self.held) >= PENDING_FRAMES:
                    self.end(Ending.CLOSING)
                    self.handler.writer.fell_behind()
                    return
                self.held.append((payload, heard_at, seq))
            return
        if seq <= self.cutoff and self.cutoff:  # the new group is behind the move: the old one served these
            return
        self.hand(payload, heard_at, seq)

    def hand(self, payload: str, heard_at: float, seq: int) -> None:
        if seq and seq <= self.handed:
            return
        self.handed = max(self.handed, seq)
        self.send(payload, heard_at)

    def send(self, payload: str, heard_at: float = 0.0) -> None:
        """Hand one result (the encoded `payload` of a `next`) to this socket, or decide why it gets no more."""
        if self.done is None or self.done.done():
            return
        if self.pending is not None:
            if len(self.pending) >= PENDING_FRAMES:
                self.end(Ending.CLOSING)
                self.handler.writer.fell_behind()
                return
            self.pending.append((payload, heard_at))
            return
        ctx = self.ctx
        if not ctx.session_live():
            self.end(Ending.CLOSING)
            closing = asyncio.get_running_loop().create_task(ctx.end_session(ctx.ws_ended or EXPIRED))
            _background.add(closing)
            closing.add_done_callback(_background.discard)
            return
        frame = '{"id":' + self._id_json + ',"type":"next","payload":' + payload + "}"
        if not self.handler.writer.offer(frame, heard_at):
            self.end(Ending.CLOSING)


class Group:
    """The sockets that receive the same bytes, and the one execution of their subscription."""

    def __init__(
        self, fanout: Fanout, key: GroupKey, ctx: Context, operation: Operation[Context, None], watch: Watch[Any]
    ) -> None:
        self.fanout = fanout
        self.key = key
        self.members: dict[Member, None] = {}
        self.leaving_members: set[Member] = set()  # members moving away, served up to their cutoff
        # The group's watch is opened with it, before its leader runs: events from this moment on are the group's.
        self.watch = watch
        self.position = watch.start  # the last event position the leader has dealt with (delivered or skipped)
        self.heard_at = 0.0  # the leader sets it, and `seq`, to its current event's before yielding it
        self.seq = 0
        self.executions = 0
        # The leader reads as the first member's viewer: every member has the same audience.
        self._ctx = Context(request=ctx.request, response=None, deps=ctx.deps, actor=ctx.actor)
        self._query = operation.query
        self._variables = operation.variables
        self._operation_name = operation.operation_name
        self.task: asyncio.Task[None] | None = asyncio.get_running_loop().create_task(
            self._lead(), name=f"fanout-{key.field}"
        )

    def offered(self) -> int:
        """The last event position this group's room has offered it (it will deal with every one up to there)."""
        return self.position if self.watch.closed else self.watch.offered

    def handled(self, seq: int) -> None:
        """The leader has dealt with the event at `seq` (delivered its result, or found nothing in it for this
        audience): members moving away whose cutoff it reached go."""
        self.position = seq
        for member in list(self.leaving_members):
            member.left_behind(seq)

    async def _lead(self) -> None:
        LEADING.set(self)
        ending = Ending.COMPLETE
        try:
            source = await self.fanout.schema.stream(
                self._query,
                variable_values=self._variables,
                context_value=self._ctx,
                operation_name=self._operation_name,
            )
            async with aclosing(source):
                async for result in source:
                    if not isinstance(result, ExecutionResult):  # not for a document its members ran themselves
                        ending = Ending.CLOSING
                        break
                    self.executions += 1
                    self.fanout.executions += 1
                    metrics.REALTIME_EXECUTIONS.labels(self.key.field).inc()
                    self.deliver(_encode(result), self.heard_at, self.seq)
                    if self.heard_at:
                        EXECUTED.observe(time.perf_counter() - self.heard_at)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("fanout.group_failed", field=self.key.field)
            ending = Ending.RETRY
        finally:
            self.watch.close()
            await self._ctx.close()
        if self.fanout.groups.get(self.key) is self:  # sockets arriving from now on start a group of their own
            del self.fanout.groups[self.key]
        for member in list(self.leaving_members):
            if ending in (Ending.RETRY, Ending.MISSED):  # it may not have served the moving socket its cutoff
                member.end(ending)
            else:
                member.left_behind(None)
        for member in list(self.members):
            if member.group is self:
                member.end(ending)

    def fell_behind(self, *, missed: bool = False) -> None:
        """The leader's own watch fell behind the events (the process cannot execute as fast as they come), or the
        process's listener was away (`missed`): every member may have missed one, and is closed with 1013 so that
        its client reconnects and re-reads."""
        for member in list(self.members):
            member.end(Ending.MISSED if missed else Ending.RETRY)

    def deliver(self, payload: str, heard_at: float = 0.0, seq: int = 0) -> None:
        for member in list(self.members):
            if member.group is self and member.pending is None and member.audience() != self.key.audience:
                # Rights changed and the re-check's hook has not run yet: this event was heard under the old ones.
                member.move()
            member.receive(self, payload, heard_at, seq)

    def close(self) -> None:
        self.watch.close()
        task, self.task = self.task, None
        if task is not None:
            task.cancel()


def _encode(result: ExecutionResult) -> str:
    """A `next` message's payload, as Strawberry's handler builds it, encoded once for the whole group."""
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return encode_json(payload).decode()


class Fanout:
    """This process's groups (one per API view)."""

    def __init__(self, schema: BaseSchema) -> None:
        self.schema = schema
        self.groups: dict[GroupKey, Group] = {}
        self.executions = 0  # results produced by group leaders, all groups: what the grouping saves shows here

    def group_count(self) -> int:
        return len(self.groups)

    def member_count(self) -> int:
        """Sockets served by a group (a socket moving between two counts once)."""
        return len({member for group in self.groups.values() for member in group.members})

    def join(self, member: Member, key: GroupKey) -> Group:
        """Put `member` in the group of `key`, made (with its watch in force) if need be; no await."""
        group = self.groups.get(key)
        if group is None or group.task is None or group.task.done():
            hub = member.ctx.deps.events
            assert hub is not None and member.topic is not None and member.prepare is not None
            watch = hub.open_watch(member.topic, key.key, member.prepare)
            group = self.groups[key] = Group(self, key, member.ctx, member.operation, watch)
        group.members[member] = None
        member.group = group
        return group

    def leave(self, member: Member, group: Group) -> None:
        group.members.pop(member, None)
        group.leaving_members.discard(member)
        if member.group is group:
            member.group = None
        if not group.members:
            if self.groups.get(group.key) is group:
                del self.groups[group.key]
            group.close()


def group_key(member: Member, field: str, key: str) -> GroupKey:
    operation = member.operation
    assert member.topic is not None
    variables = orjson.dumps(operation.variables or {}, option=orjson.OPT_SORT_KEYS)
    return GroupKey(field, member.topic, key, operation.query, operation.operation_name, variables, member.audience())


async def serve_grouped(
    member: Member,
    field: str,
    topic: EventTopic,
    key: str,
    prepare: Callable[[Event], Awaitable[Any]],
    check: Callable[[], Any],
    watching: Callable[..., Any],
) -> AsyncIterator[Any]:
    """The member side of a grouped subscription: join (the group's watch is in force from then on), pass the
    permission check (`check` returns the typed error that refuses, or None; what the group hears meanwhile is
    kept for the socket), say so (`watching(since=…)`, the subscription's first event: executed by this socket's
    own operation and queued on its writer before anything the group kept for it), then be served by the group —
    by the group of the viewer's new rights after a change, `Member.move` — until the subscription ends for this
    socket."""
    fanout = member.handler.fanout
    assert fanout is not None
    hub = member.ctx.deps.events
    assert hub is not None
    member.watched, member.topic, member.prepare = (field, key), topic, prepare
    member.done = asyncio.get_running_loop().create_future()
    with hub.attach(topic, key):
        group = fanout.join(member, group_key(member, field, key))
        # Every event the room offers after this position reaches the member (the group's leader may still deliver
        # some before it: those are in the client's re-read too, and shown twice at worst, never lost).
        since = group.offered()
        try:
            if (error := await check()) is not None:
                yield error
                return
            await hub.until_listening()
            if not member.done.done():  # not ended meanwhile (e.g. the listener came back: events were missed)
                yield watching(since=since)
            member.activate()
            ending = await member.done
        finally:
            for held in (member.leaving, member.group):
                if held is not None:
                    fanout.leave(member, held)
            member.leaving = None
        if ending is Ending.COMPLETE:
            return
        if ending is Ending.RETRY:
            member.handler.writer.fell_behind()
        elif ending is Ending.MISSED:
            member.handler.writer.fell_behind(MISSED)
        await wait_for_close()
