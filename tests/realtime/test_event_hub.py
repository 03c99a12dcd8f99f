"""The event hub on its own: an app starts even when the database cannot be reached yet."""

from __future__ import annotations

import time

from domain.realtime import EventTopic
from exchange.db import free_port
from exchange.realtime import PgEventHub, asyncpg_dsn


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
