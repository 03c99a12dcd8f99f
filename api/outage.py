"""When PostgreSQL is away: every request gets HTTP 503 with a GraphQL error coded SERVICE_UNAVAILABLE and a
Retry-After header, signed in or not, whether the failure came while signing the request in or while running it.
Subscriptions keep their sockets through an outage (api/realtime/reread.py)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from starlette.responses import Response

RETRY_AFTER_SECONDS = 5
CODE = "SERVICE_UNAVAILABLE"
MESSAGE = "The service is briefly unavailable; try again in a few seconds."

# SQLSTATEs of a database that cannot be talked to: connection exceptions (class 08), shutting down or
# starting up (57P01-57P03), out of connection slots (53300).
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) says the database cannot be reached, rather than that a statement
    failed: refused or dropped connections, timeouts, a server shutting down or not accepting connections."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError | TimeoutError):  # ConnectionRefusedError, ConnectionResetError, ...
            return True
        if isinstance(error, DBAPIError):
            if error.connection_invalidated:
                return True
            state = str(getattr(error.orig, "sqlstate", None) or "")
            if state.startswith(_UNAVAILABLE_STATES):
                return True
            # 55000 at connect: the database was set to refuse connections (ALLOW_CONNECTIONS false).
            if state == "55000" and "accepting connections" in str(error.orig):
                return True
        if type(error).__name__ in ("ConnectionDoesNotExistError", "InterfaceError", "CannotConnectNowError"):
            return True
        # The driver's own errors, where a statement ran on the driver connection (domain/driver.py).
        if str(getattr(error, "sqlstate", None) or "").startswith(_UNAVAILABLE_STATES):
            return True
        error = error.__cause__ or error.__context__
    return False


def unavailable(response: Response | None) -> None:
    """Mark an HTTP answer as 503 with Retry-After (the response a GraphQL view builds its answer from)."""
    if response is not None:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)


class ServiceUnavailable(Exception):
    """Raised where a request cannot even start (signing it in needs the database)."""
