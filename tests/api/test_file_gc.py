"""Garbage collection of stored files on both storage backends: blobs no file row, message attachment or upload in
flight refers to lose their object, their preview's object and their rows once the grace period has passed, and
nothing before; objects no row knows (a failed upload's bytes, a stray upload object) are swept; everything that is
referred to stays, bytes intact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from api.relay import decode_id
from domain.files.gc import collect_unreferenced_blobs, sweep_orphan_objects
from domain.files.models import FileGeometry, FilePreview, StoredBlob
from domain.files.service import FilesConfig
from domain.orders.models import ProductionOrder
from domain.ports.storage import blob_key, sha256_hex, upload_key
from domain.uow import UnitOfWork
from exchange.settings import Environment, Settings
from exchange.worker import run_timers_once
from tests import files_samples as samples
from tests.api.contracts import awarded
from tests.api.files import count, post, request_upload, send, upload
from tests.api.graphql import GraphQL, create_order
from tests.clock import FakeClock
from tests.conftest import files_config_for


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def stored(files: FilesConfig, data: bytes) -> bool:
    return await files.storage.size(blob_key(sha256_hex(data))) == len(data)


async def test_unreferenced_blobs_and_orphan_objects_go_after_the_grace_period(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps, engine: AsyncEngine
) -> None:
    clock.set(datetime.now(UTC))  # objects carry the real time they were written; the grace period counts from it
    files = deps.files
    assert files is not None and files.gc_grace == timedelta(hours=24)
    buyer, maker, contract_id = await awarded(gql, clock)
    kept_model, kept_drawing = samples.stl_binary(samples.box(10, 20, 30)), samples.drawing_pdf()
    kept_order = await create_order(gql, buyer, clock)
    await upload(client, buyer, kept_order, "kept.stl", kept_model)
    await upload(client, buyer, kept_order, "kept.pdf", kept_drawing, kind="DRAWING")
    report = samples.pdf(b"/Title (Inspection report) ")
    assert (await post(client, maker, contract_id, "The report.", [("report.pdf", report)]))["__typename"] == (
        "ContractMessageSuccess"
    )
    dropped_model = samples.stl_binary(samples.box(7, 7, 7))
    dropped_order = await create_order(gql, buyer, clock)
    await upload(client, buyer, dropped_order, "dropped.stl", dropped_model)
    assert (await run_timers_once(deps))["files_analysed"] == 3  # both models and the drawing: previews made
    dropped_preview = await _preview_sha(engine, dropped_model)
    assert dropped_preview is not None and await files.storage.size(blob_key(dropped_preview))
    # An upload in flight (its bytes under uploads/, not finished) and its announced content.
    pending_data = samples.step_box(5, 5, 5)
    issued = (await request_upload(gql, buyer, kept_order, pending_data))["upload"]
    assert await send(client, issued, pending_data) in (200, 201, 204)
    # Bytes nobody recorded: a blob whose transaction failed after storing it, an upload object without a row.
    stray_blob, stray_upload = b"stored, then the transaction failed", upload_key(str(uuid4()))
    await files.storage.put(blob_key(sha256_hex(stray_blob)), stray_blob, content_type="application/octet-stream")
    await files.storage.put(stray_upload, b"half an upload", content_type="application/octet-stream")

    # The dropped order goes (as a deleted draft's rows do): its file row with it, the blob is unreferenced.
    async with engine.begin() as conn:
        await conn.execute(delete(ProductionOrder).where(ProductionOrder.id == decode_id(dropped_order, "Order", "id")))
    blobs_before = await count(engine, StoredBlob)

    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        assert await collect_unreferenced_blobs(uow, files=files) == 0  # within the grace period
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        assert await sweep_orphan_objects(uow, files=files) == 0
    assert await count(engine, StoredBlob) == blobs_before and await stored(files, stray_blob)

    clock.advance(timedelta(hours=25))
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        assert await collect_unreferenced_blobs(uow, files=files) == 1
    assert await count(engine, StoredBlob) == blobs_before - 1
    assert not await stored(files, dropped_model) and await files.storage.size(blob_key(dropped_preview)) is None
    assert await _preview_sha(engine, dropped_model) is None and await count(engine, FileGeometry) == 1
    for data in (kept_model, kept_drawing, report):
        assert await stored(files, data)
        assert (await files.storage.get(blob_key(sha256_hex(data)))) == data
    for data in (kept_model, kept_drawing):
        preview = await _preview_sha(engine, data)
        assert preview is not None and await files.storage.size(blob_key(preview))
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        assert await collect_unreferenced_blobs(uow, files=files) == 0

    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        assert await sweep_orphan_objects(uow, files=files) == 2
    assert not await stored(files, stray_blob) and await files.storage.size(stray_upload) is None
    in_flight = upload_key(str(decode_id(issued["uploadId"], "FileUpload", "uploadId")))
    assert await files.storage.size(in_flight) == len(pending_data)  # its row is there: the upload's own expiry
    for data in (kept_model, kept_drawing, report):
        assert await stored(files, data)
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        assert await sweep_orphan_objects(uow, files=files) == 0


async def _preview_sha(engine: AsyncEngine, data: bytes) -> str | None:
    async with engine.connect() as conn:
        return await conn.scalar(select(FilePreview.preview_sha256).where(FilePreview.sha256 == sha256_hex(data)))
