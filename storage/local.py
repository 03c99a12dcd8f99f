"""Files on the local filesystem under the data directory: the zero-configuration default.

A write goes to a temporary file in the target's directory and is renamed over it (atomic on POSIX), so a
reader sees the whole blob or none. Blocking file I/O runs in a thread."""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from domain.ports.storage import BlobMissing, PresignedPost, StorageUnavailable


class LocalFileStorage:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"key outside the storage root: {key!r}")
        return path

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._put, self._path(key), data)

    @staticmethod
    def _put(path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as file:
                    file.write(data)
                    file.flush()
                    os.fsync(file.fileno())
                os.chmod(temporary, 0o440)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise StorageUnavailable(f"local storage: {error.strerror or error}") from error

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise BlobMissing(key) from None
        except OSError as error:
            raise StorageUnavailable(f"local storage: {error.strerror or error}") from error

    async def size(self, key: str) -> int | None:
        path = self._path(key)
        try:
            return (await asyncio.to_thread(path.stat)).st_size
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StorageUnavailable(f"local storage: {error.strerror or error}") from error

    async def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            await asyncio.to_thread(path.unlink, True)
        except OSError as error:
            raise StorageUnavailable(f"local storage: {error.strerror or error}") from error

    async def copy(self, source: str, target: str) -> None:
        await self.put(target, await self.get(source), content_type="application/octet-stream")

    async def download_url(self, key: str, *, filename: str, content_type: str, expires_in: timedelta) -> str | None:
        return None  # served by the app's signed /files route (api/files/download.py)

    async def presigned_post(
        self, key: str, *, size: int, content_type: str, expires_in: timedelta
    ) -> PresignedPost | None:
        return None

    async def close(self) -> None:
        return None
