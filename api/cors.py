"""Cross-origin access for a SPA hosted elsewhere: the origins in EXCHANGE_CORS_ORIGINS, for HTTP and websocket.

Same-origin requests (the web app served by this process) need no entry. The API authenticates with a bearer
token, never a cookie, so credentials are not allowed cross-origin.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


def cors_middleware(origins: Sequence[str]) -> list[Middleware]:
    """With no origins listed, only same-origin pages may use the API from a browser (HTTP gets no CORS headers,
    a websocket from another origin is refused)."""
    websocket_check = Middleware(WebSocketOriginCheck, origins=list(origins))
    if not origins:
        return [websocket_check]
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["authorization", "content-type"],
            allow_credentials=False,
            max_age=600,
        ),
        websocket_check,
    ]


def same_origin(origin: str, scope: Scope) -> bool:
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
    return origin.split("://", 1)[-1] == host


class WebSocketOriginCheck:
    """Browsers send Origin on a websocket handshake and apply no CORS to it: refuse origins not listed."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            origin = dict(scope.get("headers") or []).get(b"origin")
            if origin is not None:
                text = origin.decode("latin-1")
                if text not in self.origins and not same_origin(text, scope):
                    # Before accept, a close is answered as HTTP 403 to the handshake.
                    await send({"type": "websocket.close", "code": 4403, "reason": "origin not allowed"})
                    return
        await self.app(scope, receive, send)
