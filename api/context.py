"""Per-request context: who is asking, one read session, the DataLoaders, and a unit-of-work factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.auth_guess import ActorGuesses, ViewerChanged
from api.errors import to_user_error
from api.settings import ApiSettings
from domain.actor import ANONYMOUS, Actor
from domain.clock import Clock, tax_day
from domain.contracts.lifecycle import Payments
from domain.documents.content import DocumentRenderer
from domain.driver import (
    Rider,
    autocommit_when_begun,
    checkout_at_once,
    close_at_once,
    close_session_at_once,
    connect_unpinged,
    read_session,
    ride_with_next_read,
    unride,
)
from domain.errors import DomainError
from domain.files.service import FilesConfig
from domain.identity.rules import hash_token
from domain.identity.service import actor_by_token_hash, actor_of_token_check, token_check_rider
from domain.identity.throttle import RateLimited, Throttle
from domain.ports.mail import EmailSender
from domain.ports.search import SearchIndex
from domain.realtime import EventStream
from domain.uow import SessionFactory, UnitOfWork, run_in_transaction

T = TypeVar("T")

log = structlog.get_logger(__name__)


async def _close_quietly(closable: AsyncSession | AsyncConnection) -> None:
    """Close a session whose transaction may be broken (or a connection), even from a task being cancelled; a
    failure to close is the pool's to clean up (it invalidates the connection), not the field's to report."""
    try:
        await asyncio.shield(closable.close())
    except Exception:  # the field's own error is what the caller must see
        pass


async def _discard(connection: AsyncConnection) -> None:
    """Close a connection that was found lost: invalidated, so that the pool opens a new one in its place."""
    try:
        await asyncio.shield(connection.invalidate())
    except Exception:  # already closed: there is nothing left to discard
        pass
    await _close_quietly(connection)


@dataclass
class AppDeps:
    """What the API needs from the outside world; built by exchange/bootstrap.py (or a test)."""

    settings: ApiSettings
    session_factory: SessionFactory
    clock: Clock
    payments: Payments
    # Verifies a Stripe webhook (raw body, Stripe-Signature header) -> the event; raises ValueError if not
    # genuine. None when webhooks are not configured.
    stripe_webhook_verifier: Callable[[bytes, str | None], dict[str, Any]] | None = None
    # The capability search backend (exchange/bootstrap.py picks it); None only in tools that do not search.
    search: SearchIndex | None = None
    # The realtime fan-out that subscriptions read (exchange/realtime.py); None where nothing subscribes.
    events: EventStream | None = None
    # Where the worker sends notification e-mails (exchange/mail.py); None: they wait in the outbox.
    mailer: EmailSender | None = None
    # File storage, limits and URL signing (exchange/bootstrap.py build_files); None where files are not served.
    files: FilesConfig | None = None
    # Renders contract documents as PDF (documents/render.py, typst); None: the worker issues none.
    documents: DocumentRenderer | None = None
    # Who each bearer token belonged to at its last check (api/auth_guess.py): a query's check rides in its first read.
    guesses: ActorGuesses = field(default_factory=ActorGuesses)

    @cached_property
    def engine(self) -> AsyncEngine:
        """The session factory's engine: a request takes its connection from it (Context.authenticate, Context.db)."""
        engine: AsyncEngine = self.session_factory.kw["bind"]
        return engine


@dataclass(slots=True)
class _PendingCheck:
    """A token check not run yet: the token, the viewer its last check found, and whether the operation runs on
    that viewer (`applied`) — a query over HTTP — or waits for the check (anything else)."""

    token: str
    token_hash: bytes
    now: datetime
    guess: Actor
    applied: bool = False


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    deps: AppDeps
    actor: Actor
    # graphql-transport-ws: the connection_init payload (Strawberry sets it).
    connection_params: dict[str, Any] | None = None
    # graphql-transport-ws: the token the socket signed in with (re-checked while it is open), and why the
    # socket was closed once its session ended (api/realtime/session.py).
    ws_token: str | None = None
    ws_ended: str | None = None
    # The request's pooled connection: its token check runs on it, and its read session is bound to it (in
    # autocommit). Taken on first use, given back by give_back() and close().
    _connection: AsyncConnection | None = None
    _session: AsyncSession | None = None
    # Whether _session reads without a transaction (see db()).
    _autocommit: bool = True
    # One connection per request, and asyncpg runs one statement at a time on it: loaders of
    # different kinds fire in the same tick, so they take turns.
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _loaders: dict[type, Any] = field(default_factory=dict)
    # Per-request answers resolvers share, e.g. what a field's selection asks for (same for every list item).
    memo: dict[Any, Any] = field(default_factory=dict)
    # The token check still to run when the request started on a guessed viewer (`guess`); and, once it ran and found
    # otherwise, the viewer to run the operation again as (None: run today's check first, the carrying statement
    # failed).
    _pending: _PendingCheck | None = None
    _changed: bool = False
    _found: Actor | None = None
    _token: str = ""
    # Set by the one caller that runs `settle` before any answer leaves (api/extensions.py ExchangeSchema.execute):
    # only then may a query run on a guessed viewer (a streamed answer, say, leaves as it is made).
    settled_before_answer: bool = False

    @property
    def settings(self) -> ApiSettings:
        return self.deps.settings

    @property
    def clock(self) -> Clock:
        return self.deps.clock

    def tax_day(self) -> date:
        """Today in the reporting zone: the day VAT rates are chosen by, as the use cases choose them."""
        return tax_day(self.clock.now(), self.settings.reporting_zone)

    @asynccontextmanager
    async def db(self, *, transaction: bool = False) -> AsyncIterator[AsyncSession]:
        """The request's read session, exclusively for the duration of the block.

        Reads run without a transaction (autocommit): at READ COMMITTED, the level this database runs at, each
        statement sees what was committed when it started, inside a transaction or not, so a BEGIN and a ROLLBACK
        around a request's reads were two round trips that changed no answer. The session is bound to the request's
        connection (the one its token was checked on). A reader that needs a transaction — a setting made with SET
        LOCAL or set_config(..., true) for its next statement — asks for one with `transaction=True`: the session is
        a transactional one, on a connection of its own, from then on (rolled back when the request ends)."""
        if self._changed:
            raise ViewerChanged
        if transaction and self._pending is not None:
            await self.confirm()
        async with self._lock:
            if self._changed:  # found while this reader waited for its turn
                raise ViewerChanged
            session = self._session
            if transaction and self._autocommit and (session is not None or self._connection is not None):
                await self._drop()
                session = None
            if session is None:
                if transaction:
                    session = self.deps.session_factory()
                else:
                    connection = await self._read_connection()
                    # No transaction from the first read on: reads on the driver need no setting, and the session's
                    # first statement through SQLAlchemy switches the connection to AUTOCOMMIT (until it goes back
                    # to the pool, which restores its level): domain/driver.py autocommit_when_begun.
                    autocommit_when_begun(connection)
                    session = read_session(self.deps.session_factory, connection)
                self._session = session
                self._autocommit = not transaction
            try:
                yield session
            except BaseException:
                # A statement that failed or was cancelled (graphql-core cancels a refused field's siblings) leaves
                # the transaction unusable ("Can't reconnect until invalid transaction is rolled back") and the
                # connection maybe mid-statement: the block's field fails alone, and the next reader starts on a
                # fresh session and connection. The old ones are closed under a shield, so that the connection is
                # returned even when this task is being cancelled.
                await self._drop()
                raise

    async def _read_connection(self, *, unpinged: bool = False) -> AsyncConnection:
        """The request's connection (under the lock): taken from the pool on first use — without the pool's checkout
        ping when `unpinged` (domain/driver.py connect_unpinged)."""
        connection = self._connection
        if connection is None:
            # A query on a guessed viewer: its token check rides with the first read on the connection, and checks the
            # connection as the check alone would (a failure there runs the operation again, today's way).
            pending = self._pending
            riding = pending is not None and pending.applied
            unpinged = unpinged or riding
            engine = self.deps.engine
            connection = checkout_at_once(engine, unpinged=unpinged)
            if connection is None:
                if unpinged:
                    connection = await connect_unpinged(engine)
                else:
                    connection = await engine.connect()
            self._connection = connection
            if riding:
                assert pending is not None
                ride_with_next_read(connection, self._rider(pending))
        return connection

    async def _drop(self) -> None:
        """Give the session and the connection back after a failure (under the lock), quietly. A connection whose
        token check failed on it (as the ping would have) is discarded."""
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        if session is not None:
            await _close_quietly(session)
        if connection is not None:
            unride(connection)
            if self._changed and self._found is None:
                await _discard(connection)
            else:
                await _close_quietly(connection)

    async def authenticate(self, token: str) -> None:
        """The bearer token's actor, read on the request's connection (the one its queries then use: one checkout of
        the pool a request, not two) with one prepared statement, no session. Anything that takes a connection of
        its own — a mutation's unit of work, the search backend — gives this one back first (`give_back`), so that a
        request never holds one connection while it waits for another (under load that starved the pool:
        bench/README.md)."""
        now = self.deps.clock.now()
        token_hash = hash_token(token)
        async with self._lock:
            self.actor = await self._check_token(token, token_hash, now)
        self.deps.guesses.learn(token_hash, self.actor)

    async def _check_token(self, token: str, token_hash: bytes, now: datetime) -> Actor:
        """The token check alone, under the lock.

        The token check is the connection's ping: the connection is taken without the pool's checkout ping (a round
        trip), and when the check finds it lost — the server restarted or ended it — it is discarded and the check
        runs once more on a connection the pool pings first, so that the request does not notice. (A token check
        that fails for any other reason fails twice: the retry costs that request one more statement.)"""
        if len(token) > 200:
            return ANONYMOUS
        connection = self._connection
        # Nothing has run on a connection whose rider is still waiting: it is as unchecked as a fresh one.
        if connection is None or unride(connection) is not None:
            if connection is None:
                connection = await self._read_connection(unpinged=True)
            try:
                actor = await actor_by_token_hash(connection, token_hash=token_hash, now=now)
            except Exception as error:
                # As the ping would have: any failure of the check on a connection nobody checked (a dead socket,
                # asyncpg's "another operation is in progress" after the server ended it) discards the connection;
                # the retry on a pinged one tells a lost connection from a real failure.
                log.info("db.token_check_retried", error=repr(error))
                self._connection = None
                await _discard(connection)
            except BaseException:  # cancelled: the connection goes back all the same
                await self._drop()
                raise
            else:
                return actor
        connection = await self._read_connection()
        try:
            actor = await actor_by_token_hash(connection, token_hash=token_hash, now=now)
        except BaseException:
            await self._drop()
            raise
        return actor

    # A query's token check riding with its first read (api/auth_guess.py): `guess` when the request starts,
    # `ride_guess` or `confirm` when the operation is known (api/auth_guess.py ViewerOnGuess), `settle` and
    # `start_over` when it has run (api/extensions.py ExchangeSchema.execute).

    def guess(self, token: str) -> bool:
        """Start on the viewer this token's last check found, the check still to run (`checking_token`) — or False
        when there is no such guess: the caller checks the token now (`authenticate`). Until `ride_guess` the actor
        stays anonymous: nothing reads it before the operation executes."""
        if len(token) > 200:
            return False
        token_hash = hash_token(token)
        now = self.deps.clock.now()
        guess = self.deps.guesses.guess(token_hash, now)
        if guess is None:
            return False
        self._pending = _PendingCheck(token, token_hash, now, guess)
        return True

    @property
    def checking_token(self) -> bool:
        """Whether the token check is still to run."""
        return self._pending is not None

    def ride_guess(self) -> bool:
        """The operation is a query over HTTP: it runs on the guessed viewer, and the token check rides with its
        first read on the request's connection (domain/driver.py Rider) — or runs alone just before any other
        statement (`confirm`), or at the end (`settle`). Only when whoever answers settles first
        (`settled_before_answer`: api/extensions.py ExchangeSchema.execute); False: the caller confirms now."""
        pending = self._pending
        if pending is None or not self.settled_before_answer:
            return False
        if pending.applied:
            return True
        pending.applied = True
        self.actor = pending.guess
        if self._connection is not None:
            ride_with_next_read(self._connection, self._rider(pending))
        return True

    def _rider(self, pending: _PendingCheck) -> Rider:
        def settle(rows: Sequence[Any]) -> None:
            if self._pending is pending:
                self._pending = None
                self._settle(pending, actor_of_token_check(rows))
            if self._changed:
                raise ViewerChanged

        def failed(error: Exception) -> BaseException:
            # The first statement on a connection nobody pinged (a lost one fails here), or a read that fails: run
            # the operation again, today's way (the check alone first, and its retry on a pinged connection).
            if self._pending is pending:
                self._pending = None
                log.info("db.token_check_retried", error=repr(error))
                self._changed = True
                self._found = None
                self._token = pending.token
            return ViewerChanged()

        return token_check_rider(pending.token_hash, pending.now, settle, failed)

    def _settle(self, pending: _PendingCheck, actor: Actor) -> None:
        """What the token check found: the actor from now on; when the operation ran on a guess that it is not,
        the operation runs again (`start_over`)."""
        if actor == pending.guess:
            self.actor = actor  # confirmed (the guess is as fresh as it gets: `guess` made it the most recent)
            return
        self.deps.guesses.learn(pending.token_hash, actor)
        if pending.applied:
            self._changed = True
            self._found = actor
        else:
            self.actor = actor

    async def confirm(self) -> None:
        """The token check now, alone, if it is still to run: before anything but a read on the request's connection
        (a unit of work, the search backend, a transaction of its own), and before a mutation executes. Raises
        ViewerChanged when the operation ran on a guess the check did not confirm."""
        pending = self._pending
        if pending is not None:
            async with self._lock:
                if self._pending is pending:
                    self._pending = None
                    try:
                        actor = await self._check_token(pending.token, pending.token_hash, pending.now)
                    except BaseException:
                        self._pending = pending  # still to run: nothing is answered without it (settle)
                        raise
                    self._settle(pending, actor)
        if self._changed:
            raise ViewerChanged

    @property
    def discarded(self) -> bool:
        """Whether this run of the operation is to be thrown away and run again (its token check found another
        viewer than the guess it ran on)."""
        return self._changed

    async def settle(self) -> bool:
        """When the operation has run: the token check if it has not run yet (the operation read nothing on the
        driver), its connection given back; True when the operation must run again as the real viewer."""
        if self._pending is not None:
            try:
                await self.confirm()
            except ViewerChanged:
                pass
            finally:
                await self.close()
        return self._changed

    async def start_over(self) -> None:
        """Forget everything the operation read and take the viewer the token check found (or check the token
        today's way, when the statement carrying the check failed)."""
        found = self._found
        self._changed = False
        self._found = None
        self._pending = None
        self._loaders.clear()
        self.memo.clear()
        response = self.response
        if response is not None:  # what the discarded run said of the response (a status, Retry-After)
            response.status_code = None  # type: ignore[assignment]
            response.raw_headers = []
        await self.close()
        if found is None:
            self.actor = ANONYMOUS
            await self.authenticate(self._token)
        else:
            self.actor = found

    async def give_back(self) -> None:
        """Return the read connection to the pool now (the next read takes one again); what was read is kept. A
        failure to close is the pool's to clean up, not the caller's to report (as after a failed read). The token
        check runs first if it has not (whoever takes the next connection acts on a checked viewer)."""
        await self.confirm()
        async with self._lock:
            await self._drop()

    async def close(self) -> None:
        # Under the lock: on a websocket, operations share this context, and one ending must not close the
        # session under another one's query.
        async with self._lock:
            await self._close_session()

    async def _close_session(self) -> None:
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        if connection is not None and self._pending is not None:
            unride(connection)  # not run: the check runs alone at the end (settle)
        try:
            if session is not None and not close_session_at_once(session):
                await session.close()
        finally:
            if connection is not None and not close_at_once(connection):
                await connection.close()

    async def release(self) -> None:
        """Between two events of a long-lived subscription: give the connection back and forget what was read
        (the next event must see fresh data)."""
        await self.close()
        self._loaders.clear()

    def session_live(self) -> bool:
        """On a websocket: whether its sign-in still holds (not ended, token not past its expiry)."""
        expires_at = self.actor.token_expires_at
        return self.ws_ended is None and (expires_at is None or self.clock.now() < expires_at)

    async def end_session(self, reason: str, *, code: int = 4401) -> None:
        """Close this websocket because its sign-in no longer holds (4401 and the reason), or for another
        `code`; once."""
        if self.ws_ended is not None or not isinstance(self.request, WebSocket):
            return
        self.ws_ended = reason
        try:
            await self.request.close(code=code, reason=reason)
        except RuntimeError:  # the socket is closing already
            pass

    def loader(self, loader_class: Callable[[Context], T]) -> T:
        """The request's instance of a DataLoader class (created on first use)."""
        existing = self._loaders.get(loader_class)  # type: ignore[call-overload]
        if existing is None:
            existing = loader_class(self)
            self._loaders[loader_class] = existing  # type: ignore[index]
        return existing

    @property
    def client_address(self) -> str:
        """The caller's address as the server saw it (behind a proxy: what uvicorn's --proxy-headers and
        --forwarded-allow-ips make of X-Forwarded-For); "unknown" when the transport gives none."""
        client = self.request.client
        return client.host if client is not None else "unknown"

    def _checked_viewer(self) -> None:
        """A unit of work is for an actor whose token check has run (mutations wait for it: ViewerOnGuess)."""
        if self._pending is not None and self._pending.applied:
            raise RuntimeError("the token check has not run: confirm() first")

    def throttle(self) -> Throttle:
        self._checked_viewer()
        return Throttle(self.deps.session_factory, self.deps.clock)

    def retry_after(self, seconds: int) -> None:
        """Say `Retry-After` on the HTTP response too (a websocket has no headers to say it in)."""
        if self.response is not None:
            self.response.headers["Retry-After"] = str(seconds)

    def uow(self) -> UnitOfWork:
        self._checked_viewer()
        return UnitOfWork(self.deps.session_factory, self.deps.clock, zone=self.settings.reporting_zone)

    async def run(self, use_case: Callable[[UnitOfWork], Awaitable[T]], *, signed_in: bool = True) -> T | Any:
        """Run a mutation's use case in its own unit of work; a refused action comes back as a typed error.

        Mutations are for signed-in users (`signed_in=False` for signUp and signIn): an anonymous caller
        learns that first, before anything about its input.
        """
        await self.confirm()
        try:
            if signed_in:
                self.actor.require_user()
            # The unit of work takes a connection of its own: the read one goes back first.
            await self.give_back()
            result = await run_in_transaction(self.uow, use_case)
        except DomainError as error:
            if isinstance(error, RateLimited):
                self.retry_after(error.retry_after)
            return to_user_error(error)
        # What this request read before the mutation may be stale now.
        self._loaders.clear()
        return result


Info = StrawberryInfo[Context, None]
