"""Realtime tests run the app for real: uvicorn on a free 127.0.0.1 port in the test's event loop, with its
lifespan (so the event hub LISTENs), spoken to over HTTP and over graphql-transport-ws websockets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from api.app import create_app
from api.context import AppDeps
from api.realtime.fanout import Fanout
from domain.realtime import EventTopic
from exchange.bootstrap import payments
from exchange.db import free_port
from exchange.realtime import PgEventHub
from exchange.settings import Environment, Settings
from search.postgres import PostgresSearchIndex
from tests.api.graphql import GraphQL

TIMEOUT = 10.0


@dataclass
class Instance:
    """One API process: its URL, its event hub, and a GraphQL client over HTTP."""

    url: str
    hub: PgEventHub
    gql: GraphQL
    fanout: Fanout

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"

    async def wait_for_subscribers(self, topic: EventTopic, count: int = 1) -> None:
        async with asyncio.timeout(TIMEOUT):
            while self.hub.subscriber_count(topic) < count:  # noqa: ASYNC110  (polls another task's state)
                await asyncio.sleep(0.01)


@asynccontextmanager
async def serve(deps: AppDeps, database_url: str) -> AsyncIterator[Instance]:
    hub = PgEventHub(database_url)
    deps.events = hub
    port = free_port()
    app = create_app(deps)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="on", log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(TIMEOUT):
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url, timeout=TIMEOUT) as client:
            yield Instance(url=url, hub=hub, gql=GraphQL(client), fanout=app.state.fanout)
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def realtime_settings() -> Settings:
    return Settings(env=Environment.test, ws_init_timeout_seconds=0.5, ws_max_subscriptions=3)


@pytest.fixture
def make_deps(realtime_settings: Settings, clock: Any) -> Callable[[Any], AppDeps]:
    def make(session_factory: Any) -> AppDeps:
        return AppDeps(
            settings=realtime_settings,
            session_factory=session_factory,
            clock=clock,
            payments=payments(realtime_settings),
            search=PostgresSearchIndex(session_factory, clock),
        )

    return make


@pytest.fixture
async def api(make_deps: Callable[[Any], AppDeps], session_factory: Any, database_url: str) -> AsyncIterator[Instance]:
    async with serve(make_deps(session_factory), database_url) as instance:
        yield instance


class Socket:
    """A graphql-transport-ws client: connection_init, subscribe, and the messages that come back."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        # Per operation: the `since` of its Watching confirmation, once it came.
        self.confirmed: dict[str, int] = {}
        self._events: set[str] = set()  # operations that have had an event (a Watching after one is a fault)

    async def send(self, message: dict[str, Any]) -> None:
        await self.conn.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        async with asyncio.timeout(TIMEOUT):
            while True:
                frame = await self.conn.recv()
                # A browser's graphql-ws reads text frames only (a binary one arrives as a Blob and is refused).
                assert isinstance(frame, str), f"a binary frame: {frame!r}"
                message = json.loads(frame)
                if message["type"] != "ping":
                    return message
                await self.send({"type": "pong"})

    async def send_init(self, token: str | None) -> None:
        await self.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"} if token else {}})

    async def init(self, token: str | None) -> dict[str, Any]:
        await self.send_init(token)
        return await self.receive()

    async def subscribe(self, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        await self.send({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})

    async def next(self, op_id: str) -> dict[str, Any]:
        """The next event of `op_id`. An operation's Watching confirmation (its first `next`, exactly once: checked
        here for every subscription the tests open) is taken on the way, into `confirmed`."""
        while True:
            message = await self.receive()
            if self.took_watching(message):
                continue
            assert message.get("id") == op_id and message["type"] == "next", message
            assert "errors" not in message["payload"], message
            self._events.add(op_id)
            return message["payload"]["data"]

    def took_watching(self, message: dict[str, Any]) -> bool:
        """True if `message` is an operation's Watching confirmation (recorded); a second one, or one after the
        operation's first event, fails the test."""
        if message["type"] != "next" or "errors" in message.get("payload", {}):
            return False
        data = message["payload"].get("data") or {}
        root = next(iter(data.values()), None) if len(data) == 1 else None
        if not isinstance(root, dict) or root.get("__typename") != "Watching":
            return False
        op_id = message["id"]
        assert op_id not in self.confirmed, f"a second Watching for {op_id}: {message}"
        assert op_id not in self._events, f"Watching after an event of {op_id}: {message}"
        self.confirmed[op_id] = root.get("since", -1)
        return True

    async def watching(self, op_id: str) -> int:
        """Wait for `op_id`'s Watching confirmation (its first message): its `since`."""
        while op_id not in self.confirmed:
            message = await self.receive()
            assert self.took_watching(message), f"{op_id} sent {message} before its Watching"
        return self.confirmed[op_id]

    async def closed(self) -> tuple[int | None, str]:
        """Wait for the server to close the socket: (code, reason)."""
        async with asyncio.timeout(TIMEOUT):
            try:
                while True:
                    await self.conn.recv()
            except Exception:
                pass
        frame = self.conn.protocol.close_rcvd
        return (frame.code if frame else None, frame.reason if frame else "")


@asynccontextmanager
async def socket(instance: Instance, token: str | None = None) -> AsyncIterator[Socket]:
    async with connect(instance.ws_url, subprotocols=["graphql-transport-ws"]) as conn:  # type: ignore[list-item]
        client = Socket(conn)
        if token is not None:
            ack = await client.init(token)
            assert ack["type"] == "connection_ack", ack
        yield client
