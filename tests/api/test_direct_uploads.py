"""Direct uploads of large files, on both storage backends: issued bound to a size and hash, the bytes sent straight
to storage (an S3 presigned POST, or the app's own PUT route), verified on finishing, single-use; what never
finishes is removed by the worker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.files.models import FileUpload
from domain.files.service import FilesConfig
from domain.ports.storage import blob_key, sha256_hex, upload_key
from exchange.settings import Environment, Settings
from exchange.worker import run_timers_once
from tests import files_samples as samples
from tests.api.files import count, request_upload, send, snapshot
from tests.api.graphql import GraphQL, create_order, make_manufacturer, sign_up
from tests.clock import FakeClock
from tests.conftest import files_config_for

FINISH = """mutation($id: ID!) { finishFileUpload(uploadId: $id) {
  __typename ... on OrderFileSuccess { file { name format size sha256 revision kind } }
  ... on UserError { code message field } } }"""


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, files_max_file_bytes=1024 * 1024, files_upload_ttl_seconds=600)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def test_a_large_model_goes_straight_to_storage_and_is_verified_once(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine, file_storage: Any
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    data = samples.step("shaft" * 50_000)  # ~250 kB: over what a GraphQL body may be
    issued = await request_upload(gql, buyer, order_id, data)
    assert issued["__typename"] == "FileUploadSuccess", issued
    upload = issued["upload"]
    assert upload["method"] == ("PUT" if file_storage.name == "local" else "POST")
    assert await send(client, upload, data) in (200, 201, 204)

    finished = (await gql(FINISH, {"id": upload["uploadId"]}, token=buyer.token))["finishFileUpload"]

    assert finished["file"] == {
        "name": "Вал.step", "format": "STEP", "size": float(len(data)), "sha256": sha256_hex(data), "revision": 1,
        "kind": "MODEL",
    }  # fmt: skip
    assert await file_storage.get(blob_key(sha256_hex(data))) == data
    async with engine.connect() as conn:
        upload_row = (await conn.execute(select(FileUpload.completed_at, FileUpload.file_id))).one()
    assert upload_row.completed_at is not None and upload_row.file_id is not None
    again = (await gql(FINISH, {"id": upload["uploadId"]}, token=buyer.token))["finishFileUpload"]
    assert (again["__typename"], again["code"]) == ("InvalidStateError", "INVALID_TRANSITION")
    assert (await snapshot(engine))[:2] == (1, 1)


async def test_what_arrived_must_be_what_was_announced(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    data = samples.stl_binary([((0, 0, 0), (5, 0, 0), (0, 5, 0))] * 20)
    upload = (await request_upload(gql, buyer, order_id, data))["upload"]

    nothing = (await gql(FINISH, {"id": upload["uploadId"]}, token=buyer.token))["finishFileUpload"]
    assert (nothing["__typename"], nothing["code"]) == ("FileRejectedError", "UPLOAD_MISMATCH")
    other = data[:-1] + b"\x01"  # same size, other content
    assert await send(client, upload, other) in (200, 201, 204)
    wrong = (await gql(FINISH, {"id": upload["uploadId"]}, token=buyer.token))["finishFileUpload"]
    assert (wrong["code"], wrong["message"]) == ("UPLOAD_MISMATCH", "the content's SHA-256 is not the one announced")
    assert await snapshot(engine) == (0, 0, 0, 0, 0)

    # A refused finish changes nothing: the right bytes may still be sent while the upload lasts.
    assert await send(client, upload, data) in (200, 201, 204)
    done = (await gql(FINISH, {"id": upload["uploadId"]}, token=buyer.token))["finishFileUpload"]
    assert (done["__typename"], done["file"]["format"]) == ("OrderFileSuccess", "STL")


async def test_an_archive_announced_as_a_model_is_refused_on_finishing(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    data = samples.zip_named_stl()
    upload = (await request_upload(gql, buyer, order_id, data, name="part.stl"))["upload"]
    await send(client, upload, data)
    refused = (await gql(FINISH, {"id": upload["uploadId"]}, token=buyer.token))["finishFileUpload"]
    assert (refused["__typename"], refused["code"]) == ("FileRejectedError", "UNSUPPORTED_FILE")
    assert await snapshot(engine) == (0, 0, 0, 0, 0)


async def test_uploads_are_refused_before_anything_is_issued(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, settings: Settings
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    data = samples.pdf()
    too_big = await request_upload(gql, buyer, order_id, data, size=settings.files_max_file_bytes + 1)
    assert (too_big["__typename"], too_big["code"], too_big["field"]) == ("FileRejectedError", "FILE_TOO_LARGE", "size")
    bad_hash = await request_upload(gql, buyer, order_id, data, sha256="abc")
    assert (bad_hash["__typename"], bad_hash["field"]) == ("ValidationError", "sha256")
    fractional = await request_upload(gql, buyer, order_id, data, size=10.5)
    assert (fractional["__typename"], fractional["field"]) == ("ValidationError", "size")
    not_buyer = await request_upload(gql, maker, order_id, data)
    assert not_buyer["__typename"] == "PermissionDeniedError"
    assert await count(engine, FileUpload) == 0


async def test_the_worker_removes_uploads_that_never_finish(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine, deps: AppDeps, file_storage: Any
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    data = samples.dxf()
    kept = (await request_upload(gql, buyer, order_id, data))["upload"]
    clock.advance(timedelta(minutes=5))
    abandoned_data = samples.pdf()
    abandoned = (await request_upload(gql, buyer, order_id, abandoned_data))["upload"]
    await send(client, kept, data)
    await send(client, abandoned, abandoned_data)
    async with engine.connect() as conn:
        ids = {str(i) for i in await conn.scalars(select(FileUpload.id))}
    assert len(ids) == 2

    clock.advance(timedelta(minutes=6))  # the first is past its 10 minutes, the second is not
    late = (await gql(FINISH, {"id": kept["uploadId"]}, token=buyer.token))["finishFileUpload"]
    assert (late["__typename"], late["message"]) == ("InvalidStateError", "this upload has expired: request a new one")
    assert (await run_timers_once(deps))["uploads_removed"] == 1
    assert (await run_timers_once(deps))["uploads_removed"] == 0
    async with engine.connect() as conn:
        left = list(await conn.scalars(select(FileUpload.id)))
    assert len(left) == 1
    assert await file_storage.size(upload_key(str(left[0]))) == len(abandoned_data)
    gone = ids - {str(left[0])}
    assert await file_storage.size(upload_key(gone.pop())) is None


async def test_the_local_upload_route_takes_exactly_the_announced_bytes(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, file_storage: Any
) -> None:
    if file_storage.name != "local":
        pytest.skip("object storage takes presigned POSTs itself")
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    data = samples.png()
    upload = (await request_upload(gql, buyer, order_id, data))["upload"]
    assert (await client.put(upload["url"], content=data + b"x")).status_code == 413
    assert (await client.put(upload["url"], content=data[:-1])).status_code == 400
    body, _, signature = upload["url"].rpartition(".")
    assert (
        await client.put(f"{body[:-1]}{'B' if body.endswith('A') else 'A'}.{signature}", content=data)
    ).status_code == 403
    clock.advance(timedelta(minutes=11))
    assert (await client.put(upload["url"], content=data)).status_code == 410
