"""A request id on every log line of a request and in its response (`X-Request-ID`).

An incoming `X-Request-ID` (from a proxy or the client) is kept when it is sane — 1 to 128 characters of letters,
digits and `._:-` — so a request can be followed across services; otherwise a new one is made. The id is bound in
structlog's context variables, which every log line of the request (uvicorn's access line included) merges in.
"""

from __future__ import annotations

import os
import re

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-request-id"
_SANE = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def request_id_from(incoming: str | None) -> str:
    if incoming is not None and _SANE.match(incoming):
        return incoming
    return os.urandom(16).hex()  # 32 hex digits, random (a UUID4's text costs some 5 µs more)


class RequestId:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = next((value for name, value in scope.get("headers", ()) if name == HEADER), None)
        request_id = request_id_from(incoming.decode("latin-1") if incoming is not None else None)
        scope.setdefault("state", {})["request_id"] = request_id
        encoded = request_id.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                message = {**message, "headers": [*message.get("headers", ()), (HEADER, encoded)]}
            await send(message)

        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.reset_contextvars(**tokens)
