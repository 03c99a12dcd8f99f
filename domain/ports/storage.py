"""The storage port: where file contents live. Blobs are content-addressed (their key is their sha256), so they are
immutable and stored once however many orders, revisions or messages refer to them.

Backends (storage/): the local filesystem under the data directory (the default, zero configuration) and
S3-compatible object storage (production). Both pass the same contract tests (tests/storage/).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# Files move through the app in chunks of this size (downloads served locally, direct uploads, their verification).
CHUNK_SIZE = 1024 * 1024


class StorageUnavailable(Exception):
    """The backend could not be reached or refused the operation; nothing was recorded."""


class BlobMissing(Exception):
    """No blob under that key."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_key(sha256: str) -> str:
    """`blobs/ab/cd/abcd…`: two levels of fan-out keep directories (and S3 listings) small."""
    if not SHA256_HEX.match(sha256):
        raise ValueError("not a sha256 hex digest")
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def upload_key(upload_id: str) -> str:
    """Where a presigned direct upload lands before it is verified and moved to its blob key."""
    return f"uploads/{upload_id}"


@dataclass(frozen=True, slots=True)
class PresignedPost:
    """A direct upload the client POSTs as multipart/form-data: `fields` first, then the file as `file`."""

    url: str
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    modified_at: datetime


class FileStorage(Protocol):
    """Async object storage. Keys are slash-separated paths made by blob_key / upload_key, never by users."""

    name: str

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` under `key` whole or not at all (a reader never sees half of it)."""
        ...

    async def get(self, key: str) -> bytes:
        """The stored bytes; BlobMissing when there are none."""
        ...

    async def size(self, key: str) -> int | None:
        """The stored size, None when absent."""
        ...

    def read_chunks(self, key: str) -> AsyncIterator[bytes]:
        """The stored bytes in chunks of at most CHUNK_SIZE, never all in memory; BlobMissing (on the first step)
        when there are none."""
        ...

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], *, content_type: str) -> int:
        """Store what `chunks` yields under `key`, whole or not at all, without holding it in memory; returns the
        number of bytes. An exception from `chunks` stores nothing and is raised again."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the key; nothing happens if it is absent."""
        ...

    async def copy(self, source: str, target: str) -> None:
        """Copy within the backend (a finished direct upload becomes its blob)."""
        ...

    async def download_url(self, key: str, *, filename: str, content_type: str, expires_in: timedelta) -> str | None:
        """A URL that serves the blob directly for `expires_in`, as an attachment named `filename`; None when the
        backend cannot sign one (local files are served by the app's own signed route)."""
        ...

    async def presigned_post(
        self, key: str, *, size: int, content_type: str, expires_in: timedelta
    ) -> PresignedPost | None:
        """A direct upload bound to exactly `size` bytes under `key`; None when the backend has none (local)."""
        ...

    def list(self, prefix: str) -> AsyncIterator[StoredObject]:
        """Every object under `prefix` (`blobs/`, `uploads/`), with when it was written: for the garbage collector,
        which removes what no row refers to (gc.py)."""
        ...

    async def close(self) -> None: ...


async def put_blob(storage: FileStorage, data: bytes, *, content_type: str) -> str:
    """Store content under its sha256 (once: an existing blob is not written again); returns the digest."""
    digest = sha256_hex(data)
    key = blob_key(digest)
    if await storage.size(key) != len(data):
        await storage.put(key, data, content_type=content_type)
    return digest
