"""The storage port's contract, run on both backends (the local filesystem and S3 through moto's server)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from domain.ports.storage import (
    CHUNK_SIZE,
    BlobMissing,
    StorageUnavailable,
    blob_key,
    put_blob,
    sha256_hex,
    upload_key,
)


async def test_a_blob_is_stored_under_its_sha256_and_read_back_whole(file_storage: Any) -> None:
    data = b"ISO-10303-21;\n" + bytes(range(256)) * 100
    digest = await put_blob(file_storage, data, content_type="model/step")
    assert digest == sha256_hex(data)
    assert await file_storage.size(blob_key(digest)) == len(data)
    assert await file_storage.get(blob_key(digest)) == data


async def test_the_same_content_is_stored_once(file_storage: Any) -> None:
    data = b"%PDF-1.7 drawing %%EOF"
    first = await put_blob(file_storage, data, content_type="application/pdf")
    second = await put_blob(file_storage, data, content_type="application/pdf")
    assert first == second
    other = await put_blob(file_storage, data + b"\n", content_type="application/pdf")
    assert other != first
    assert await file_storage.get(blob_key(first)) == data


async def test_a_missing_key_reads_as_missing_and_deletes_quietly(file_storage: Any) -> None:
    key = blob_key("0" * 64)
    assert await file_storage.size(key) is None
    with pytest.raises(BlobMissing):
        await file_storage.get(key)
    await file_storage.delete(key)
    assert await file_storage.size(key) is None


async def test_copy_then_delete_moves_an_upload_to_its_blob(file_storage: Any) -> None:
    data = b"solid part\n facet normal 0 0 1\n endsolid part\n"
    await file_storage.put(upload_key("u1"), data, content_type="model/stl")
    await file_storage.copy(upload_key("u1"), blob_key(sha256_hex(data)))
    await file_storage.delete(upload_key("u1"))
    assert await file_storage.size(upload_key("u1")) is None
    assert await file_storage.get(blob_key(sha256_hex(data))) == data


async def test_keys_are_paths_inside_the_store_only(file_storage: Any) -> None:
    with pytest.raises(ValueError):
        blob_key("../../etc/passwd")
    if file_storage.name == "local":
        with pytest.raises(ValueError):
            await file_storage.put("../outside", b"x", content_type="text/plain")


async def test_download_urls_are_signed_by_s3_and_left_to_the_app_locally(file_storage: Any) -> None:
    data = b"%PDF-1.4 sheet 1 %%EOF"
    digest = await put_blob(file_storage, data, content_type="application/pdf")
    url = await file_storage.download_url(
        blob_key(digest), filename="Корпус датчика.pdf", content_type="application/pdf", expires_in=timedelta(minutes=5)
    )
    if file_storage.name == "local":
        assert url is None
        return
    assert url is not None and "X-Amz-Signature=" in url
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == "application/pdf"
        assert "filename*=UTF-8''%D0%9A%D0%BE%D1%80%D0%BF%D1%83%D1%81" in response.headers["content-disposition"]
    # (moto does not check signatures, so a tampered URL is not tried here; S3 and its clones refuse one.)
    assert "X-Amz-Expires=300" in url


async def test_a_presigned_post_takes_exactly_the_announced_size(file_storage: Any) -> None:
    post = await file_storage.presigned_post(
        upload_key("u2"), size=10, content_type="model/step", expires_in=timedelta(minutes=5)
    )
    if file_storage.name == "local":
        assert post is None
        return
    assert post is not None
    # The signed policy binds the size and type (S3 enforces it; moto does not, so finishing an upload verifies
    # size and hash again: tests/api/test_order_files.py).
    policy = json.loads(base64.b64decode(post.fields["policy"]))
    assert ["content-length-range", 10, 10] in policy["conditions"]
    assert {"Content-Type": "model/step"} in policy["conditions"]
    assert {"key": upload_key("u2")} in policy["conditions"]
    async with httpx.AsyncClient() as client:
        right = await client.post(post.url, data=post.fields, files={"file": ("a.step", b"1234567890")})
        assert right.status_code in (200, 201, 204)
    assert await file_storage.get(upload_key("u2")) == b"1234567890"


async def test_an_unreachable_backend_is_storage_unavailable(tmp_path: Any) -> None:
    from exchange.db import free_port
    from storage.local import LocalFileStorage
    from storage.s3 import S3FileStorage

    s3 = S3FileStorage(
        bucket="nowhere",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        region="us-east-1",
        access_key_id="x",
        secret_access_key="y",
        timeout_seconds=1,
    )
    try:
        with pytest.raises(StorageUnavailable):
            await s3.put(blob_key("a" * 64), b"data", content_type="application/pdf")
    finally:
        await s3.close()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the storage root should be a directory")
    with pytest.raises(StorageUnavailable):
        await LocalFileStorage(blocked).put(blob_key("b" * 64), b"data", content_type="application/pdf")


async def test_large_contents_stream_in_and_out_in_chunks(file_storage: Any) -> None:
    """Above the chunk size: put_stream takes an async source, read_chunks hands back bounded chunks, copy moves it
    (S3 within the store, locally streamed); a source that fails stores nothing."""
    data = bytes(range(256)) * (CHUNK_SIZE // 256 * 3 + 1000)  # 3 MiB and a bit

    async def source(fail_after: int | None = None) -> AsyncIterator[bytes]:
        for offset in range(0, len(data), 300_000):
            if fail_after is not None and offset >= fail_after:
                raise ConnectionResetError("the client went away")
            yield data[offset : offset + 300_000]

    assert await file_storage.put_stream(upload_key("big"), source(), content_type="model/step") == len(data)
    chunks = [chunk async for chunk in file_storage.read_chunks(upload_key("big"))]
    assert b"".join(chunks) == data and len(chunks) >= 3 and max(map(len, chunks)) <= CHUNK_SIZE
    await file_storage.copy(upload_key("big"), blob_key(sha256_hex(data)))
    assert await file_storage.size(blob_key(sha256_hex(data))) == len(data)
    with pytest.raises(ConnectionResetError):
        await file_storage.put_stream(upload_key("cut"), source(fail_after=600_000), content_type="model/step")
    assert await file_storage.size(upload_key("cut")) is None
    with pytest.raises(BlobMissing):
        [chunk async for chunk in file_storage.read_chunks(upload_key("never"))]
    listed = {item.key async for item in file_storage.list("uploads/")}
    assert listed == {upload_key("big")}
