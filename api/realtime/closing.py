"""How a subscription socket ends: the close reasons and codes, and the wait of a subscription whose socket is
closing. Below both the socket's handler (session.py) and the fan-out (fanout.py), which close sockets alike."""

from __future__ import annotations

import asyncio

# Close reasons (4401 Unauthorized); a close reason is at most 123 bytes.
EXPIRED = "Unauthorized: the session expired, sign in again"
ENDED = "Unauthorized: signed out or the token was revoked"
# 1013 Try Again Later: a socket that fell too far behind the event stream; graphql-ws reconnects by itself.
LAGGING_CODE = 1013
LAGGING = "Try again later: this socket fell behind the event stream; reconnect and re-read"
# 1013 too: the process's listener was away, so events may have been missed (domain.realtime.EventsMissed).
MISSED = "Try again later: events may have been missed while the server reconnected; reconnect and re-read"


async def wait_for_close() -> None:
    """A subscription whose socket is closing sends nothing more (not even `complete`): the socket's handler
    cancels it as the connection goes."""
    await asyncio.Event().wait()
