"""Files above the chunk size stream through the app (storage.CHUNK_SIZE at a time), on both storage backends:
never whole in memory on the way in (the local upload route), on verification (finishFileUpload) or on the way out
(the local download route). Object storage takes and serves the bytes itself (presigned POST and GET)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.context import AppDeps
from domain.files.service import FilesConfig
from domain.ports.storage import CHUNK_SIZE, sha256_hex
from exchange.settings import Environment, Settings
from tests.api.files import DOWNLOAD, fetch, request_upload, send
from tests.api.graphql import GraphQL, create_order, sign_up
from tests.clock import FakeClock
from tests.conftest import files_config_for

FINISH_ACTIVE = """mutation($id: ID!) { finishFileUpload(uploadId: $id) {
  ... on OrderFileSuccess { file { id sha256 activeContent } } } }"""


async def asgi_get(app: Any, path: str) -> tuple[dict[str, Any], list[bytes]]:
    """GET straight through the ASGI app, keeping each body message it sends (httpx's ASGI transport joins them)."""
    messages: list[dict[str, Any]] = []

    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected (the response's disconnect watcher waits here)
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"test")], "server": ("test", 80), "client": ("127.0.0.1", 40000),
    }  # fmt: skip
    await app(scope, receive, send)
    chunks = [m["body"] for m in messages if m["type"] == "http.response.body" and m.get("body")]
    return messages[0], chunks


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def test_a_file_above_the_chunk_size_streams_through_upload_verification_and_download(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps
) -> None:
    """3 MiB and more: sent to the local route as a stream, verified by finishFileUpload reading it back in chunks
    (a /JavaScript split between two chunks is still found), and served by the local download route a chunk at a
    time with its length announced; S3 takes and serves it itself."""
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    head = b"%PDF-1.7\n%" + b"x" * (CHUNK_SIZE - 20) + b"\n"
    data = head + b"<< /JavaScript (app.alert(1)) >>\n%" + b"y" * (2 * CHUNK_SIZE + 12345) + b"\n%%EOF\n"
    assert data.index(b"/JavaScript") < CHUNK_SIZE < data.index(b"/JavaScript") + len(b"/JavaScript")
    upload = (await request_upload(gql, buyer, order_id, data, name="drawing.pdf", kind="DRAWING"))["upload"]

    if upload["method"] == "PUT":

        async def body() -> AsyncIterator[bytes]:
            for offset in range(0, len(data), 256 * 1024):
                yield data[offset : offset + 256 * 1024]

        assert (await client.put(upload["url"], content=body())).status_code == 204
    else:
        assert await send(client, upload, data) in (200, 201, 204)
    finished = (await gql(FINISH_ACTIVE, {"id": upload["uploadId"]}, token=buyer.token))["finishFileUpload"]
    assert finished["file"]["sha256"] == sha256_hex(data) and finished["file"]["activeContent"] is True

    issued = (await gql(DOWNLOAD, {"id": finished["file"]["id"]}, token=buyer.token))["requestFileDownload"]
    if issued["url"].startswith("/"):
        start, chunks = await asgi_get(create_app(deps), issued["url"])
        assert start["status"] == 200 and dict(start["headers"])[b"content-length"] == str(len(data)).encode()
        assert len(chunks) >= 3 and max(map(len, chunks)) <= CHUNK_SIZE
        assert b"".join(chunks) == data
    else:
        assert (await fetch(client, issued["url"])).content == data
