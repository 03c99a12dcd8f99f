"""The event hub on its own: an app starts even when the database cannot be reached yet; a listening
connection that goes silent (a dropped network path) is noticed and replaced."""

from __future__ import annotations

import asyncio
import contextlib
import time

from sqlalchemy.engine import make_url

from domain.realtime import EventTopic, announce
from domain.uow import SessionFactory, UnitOfWork
from exchange.db import free_port
from exchange.realtime import PgEventHub, asyncpg_dsn
from tests.clock import FakeClock


def test_sqlalchemy_urls_become_asyncpg_dsns() -> None:
    assert asyncpg_dsn("postgresql+asyncpg://u:p@h:5432/db") == "postgresql://u:p@h:5432/db"
    assert asyncpg_dsn("postgresql://h/db") == "postgresql://h/db"


async def test_start_gives_up_waiting_when_the_database_is_down_and_stop_ends_the_retries() -> None:
    hub = PgEventHub(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere")
    began = time.monotonic()
    await hub.start(wait_seconds=0.3)
    waited = time.monotonic() - began
    listening = hub.listening
    async with hub.subscribe(EventTopic.notification, "someone"):
        subscribed = hub.subscriber_count()
    await hub.stop()

    assert 0.3 <= waited < 5
    assert (listening, subscribed, hub.subscriber_count()) == (False, 1, 0)


class BlackHoleProxy:
    """A TCP proxy to PostgreSQL whose existing connections can be made to swallow every byte, as a dropped
    network path does: nothing arrives, nothing is closed. New connections go through."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.frozen: set[int] = set()
        self.connections = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self.writers: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> BlackHoleProxy:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *_: object) -> None:
        self.server.close()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for writer in self.writers:  # the database sees its end of each connection close
            writer.close()

    def freeze_existing(self) -> None:
        self.frozen.update(range(self.connections))

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        number, self.connections = self.connections, self.connections + 1
        server_r, server_w = await asyncio.open_connection(*self.target)
        self.writers += [client_w, server_w]

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await reader.read(65536):
                    if number not in self.frozen:
                        writer.write(data)
                        await writer.drain()

        for task in (asyncio.create_task(pipe(client_r, server_w)), asyncio.create_task(pipe(server_r, client_w))):
            self.tasks.add(task)


async def test_a_listening_connection_that_goes_silent_is_replaced(
    database_url: str, session_factory: SessionFactory, clock: FakeClock
) -> None:
    url = make_url(database_url)
    async with BlackHoleProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        hub = PgEventHub(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), keepalive_seconds=0.3)
        await hub.start()
        try:
            proxy.freeze_existing()
            async with asyncio.timeout(10):
                while hub.connections < 2 or not hub.listening:  # noqa: ASYNC110  (its task reconnects)
                    await asyncio.sleep(0.05)
            async with hub.subscribe(EventTopic.contract, "after-silence") as events:
                async with UnitOfWork(session_factory, clock) as uow:
                    announce(uow, EventTopic.contract, "after-silence", transition="ship")
                    await uow.commit()
                async with asyncio.timeout(10):
                    heard = await anext(events)
        finally:
            await hub.stop()

    assert heard.data == {"transition": "ship"}
