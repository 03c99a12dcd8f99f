"""Counts open websocket connections (exchange_websocket_connections) from accept to close."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.observability.prometheus import WEBSOCKETS


class WebsocketGauge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        accepted = False

        async def counting_send(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                WEBSOCKETS.inc()
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if accepted:
                WEBSOCKETS.dec()
