"""Who a bearer token belonged to at its last check: a guess that lets a query's token check ride in its first read.

Every signed-in request checks its token against the database (a signed-out token stops working at once). On its
own the check is a round trip and a statement before the request's first read. When this process has checked the
token before, a query starts on the viewer that check found (`ActorGuesses.guess`), and the check is sent in the
same statement as the query's first read (domain/driver.py Rider, api/context.py Context.ride_guess): the read's
rows are used only when the check finds the same viewer — same user, operator flag, memberships and roles, token
and expiry — and the operation runs again from the start as the real viewer otherwise. Nothing is answered before
the check has run; the map only decides which statement carries the check, never whether it runs.

Per process, bounded (least recently used first out), refreshed by every check: what a check finds replaces the
guess, and a token found signed out, expired or unknown is forgotten.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable
from datetime import datetime
from typing import Any, TypeVar

import structlog
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from starlette.requests import Request
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api import outage
from api.outage import ServiceUnavailable
from domain.actor import Actor

GUESSES_KEPT = 10_000
T = TypeVar("T")

log = structlog.get_logger(__name__)


async def token_checked(check: Awaitable[T]) -> T:
    """A token check: a database that does not answer is a 503 the client may retry (api/outage.py)."""
    try:
        return await check
    except Exception as error:
        if outage.database_unavailable(error):
            log.warning("graphql.database_unavailable", error=repr(error))
            raise ServiceUnavailable from error
        raise


class ViewerChanged(Exception):
    """The viewer a query started on (its token's last check) is not the one its token check found now, or the
    statement carrying the check failed: what the operation read is discarded and it runs again from the start
    (api/extensions.py ExchangeSchema.execute). Raised by every read that follows, so that the run ends soon."""


class ActorGuesses:
    def __init__(self, maxsize: int = GUESSES_KEPT) -> None:
        self.maxsize = maxsize
        self._actors: OrderedDict[bytes, Actor] = OrderedDict()

    def guess(self, token_hash: bytes, now: datetime) -> Actor | None:
        """The viewer the token's last check found, unless its token has expired by `now` (the check would find
        nobody: no use guessing)."""
        actor = self._actors.get(token_hash)
        if actor is None:
            return None
        expires_at = actor.token_expires_at
        if expires_at is not None and expires_at <= now:
            del self._actors[token_hash]
            return None
        self._actors.move_to_end(token_hash)
        return actor

    def learn(self, token_hash: bytes, actor: Actor) -> None:
        """What a check of the token found: kept when it is a signed-in viewer, forgotten otherwise."""
        if actor.user_id is None:
            self._actors.pop(token_hash, None)
            return
        self._actors[token_hash] = actor
        self._actors.move_to_end(token_hash)
        if len(self._actors) > self.maxsize:
            self._actors.popitem(last=False)

    def __len__(self) -> int:
        return len(self._actors)


class ViewerOnGuess(SchemaExtension):
    """When the operation is known: a query over HTTP runs on the guessed viewer, its token check riding with its
    first read (Context.ride_guess); any other operation — a mutation above all — waits here for its token check, so
    that nothing of it runs on a guess."""

    async def on_execute(self) -> None:  # type: ignore[override]
        execution = self.execution_context
        context: Any = execution.context
        if not getattr(context, "checking_token", False):
            return
        try:
            query = execution.operation_type is OperationType.QUERY
        except Exception:  # no operation to run (OperationChecks refuses it): nothing runs on a guess either way
            query = False
        if query and isinstance(getattr(context, "request", None), Request) and context.ride_guess():
            return
        try:
            await context.confirm()
        except Exception as error:
            # The check failed (a database that does not answer): nothing executes; the view checks again before
            # answering and says why (api/extensions.py ExchangeSchema.execute: a 503 when the database is down).
            execution.result = GraphQLExecutionResult(
                data=None, errors=[GraphQLError("Unexpected error.", original_error=error)]
            )
