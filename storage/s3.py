"""S3-compatible object storage (AWS S3, Yandex Object Storage, MinIO, Ceph…) through aiobotocore.

One client per process, opened on first use and closed with the app. Every botocore/aiohttp failure becomes
StorageUnavailable (a missing key: BlobMissing), so the domain answers a typed error and records nothing.
Presigned URLs are computed locally (no request): GETs carry the attachment disposition and type; direct
uploads are presigned POSTs whose policy binds the exact size and content type."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from domain.ports.storage import CHUNK_SIZE, BlobMissing, PresignedPost, StorageUnavailable, StoredObject

_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}


def content_disposition(filename: str) -> str:
    """attachment; an ASCII fallback and the UTF-8 name (RFC 6266 / 5987): Cyrillic names survive."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_").replace("\\", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class S3FileStorage:
    name = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        access_key_id: str | None,
        secret_access_key: str | None,
        timeout_seconds: float = 30.0,
    ) -> None:
        self.bucket = bucket
        self._client_args: dict[str, Any] = {
            "endpoint_url": endpoint_url or None,
            "region_name": region,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
            "config": AioConfig(
                connect_timeout=timeout_seconds,
                read_timeout=timeout_seconds,
                retries={"max_attempts": 2, "mode": "standard"},
                signature_version="s3v4",
                s3={"addressing_style": "path"},
            ),
        }
        self._stack: AsyncExitStack | None = None
        self._client: Any = None
        self._lock = asyncio.Lock()

    async def _s3(self) -> Any:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    stack = AsyncExitStack()
                    self._client = await stack.enter_async_context(
                        get_session().create_client("s3", **self._client_args)
                    )
                    self._stack = stack
        return self._client

    async def close(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
        self._stack = None
        self._client = None

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        try:
            await (await self._s3()).put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)
        except (BotoCoreError, ClientError, OSError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error

    async def get(self, key: str) -> bytes:
        try:
            response = await (await self._s3()).get_object(Bucket=self.bucket, Key=key)
            async with response["Body"] as body:
                data: bytes = await body.read()
            return data
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
                raise BlobMissing(key) from None
            raise StorageUnavailable(f"object storage: {error}") from error
        except (BotoCoreError, OSError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error

    async def read_chunks(self, key: str) -> AsyncIterator[bytes]:
        try:
            response = await (await self._s3()).get_object(Bucket=self.bucket, Key=key)
            async with response["Body"] as body:
                async for chunk in body.iter_chunks(CHUNK_SIZE):
                    yield chunk
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
                raise BlobMissing(key) from None
            raise StorageUnavailable(f"object storage: {error}") from error
        except (BotoCoreError, OSError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], *, content_type: str) -> int:
        """Spooled to a temporary file (memory up to CHUNK_SIZE, disk beyond), then one PUT: S3 writes an object
        whole or not at all. The app streams to S3 only in tests and tools; browsers upload to it directly."""
        written = 0
        with tempfile.SpooledTemporaryFile(max_size=CHUNK_SIZE) as spool:
            async for chunk in chunks:
                await asyncio.to_thread(spool.write, chunk)
                written += len(chunk)
            spool.seek(0)
            try:
                await (await self._s3()).put_object(
                    Bucket=self.bucket, Key=key, Body=spool, ContentLength=written, ContentType=content_type
                )
            except (BotoCoreError, ClientError, OSError) as error:
                raise StorageUnavailable(f"object storage: {error}") from error
        return written

    async def size(self, key: str) -> int | None:
        try:
            head = await (await self._s3()).head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
                return None
            raise StorageUnavailable(f"object storage: {error}") from error
        except (BotoCoreError, OSError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error
        return int(head["ContentLength"])

    async def delete(self, key: str) -> None:
        try:
            await (await self._s3()).delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError, OSError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error

    async def copy(self, source: str, target: str) -> None:
        try:
            await (await self._s3()).copy_object(
                Bucket=self.bucket, Key=target, CopySource={"Bucket": self.bucket, "Key": source}
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
                raise BlobMissing(source) from None
            raise StorageUnavailable(f"object storage: {error}") from error
        except (BotoCoreError, OSError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error

    async def list(self, prefix: str) -> AsyncIterator[StoredObject]:
        try:
            paginator = (await self._s3()).get_paginator("list_objects_v2")
            async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    yield StoredObject(item["Key"], item["LastModified"])
        except (BotoCoreError, ClientError, OSError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error

    async def download_url(self, key: str, *, filename: str, content_type: str, expires_in: timedelta) -> str | None:
        url: str = await (await self._s3()).generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": content_type,
            },
            ExpiresIn=int(expires_in.total_seconds()),
        )
        return url

    async def presigned_post(
        self, key: str, *, size: int, content_type: str, expires_in: timedelta
    ) -> PresignedPost | None:
        try:
            post = await (await self._s3()).generate_presigned_post(
                Bucket=self.bucket,
                Key=key,
                Fields={"Content-Type": content_type},
                Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
                ExpiresIn=int(expires_in.total_seconds()),
            )
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(f"object storage: {error}") from error
        return PresignedPost(url=post["url"], fields={k: str(v) for k, v in post["fields"].items()})
