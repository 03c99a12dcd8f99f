"""Files on the local filesystem under the data directory: the zero-configuration default.

A write goes to a temporary file in the target's directory and is renamed over it (atomic on POSIX), so a
reader sees the whole blob or none. Blocking file I/O runs in a thread."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain.ports.storage import CHUNK_SIZE, BlobMissing, PresignedPost, StorageUnavailable, StoredObject


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

    async def read_chunks(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise BlobMissing(key) from None
        except OSError as error:
            raise StorageUnavailable(f"local storage: {error.strerror or error}") from error
        try:
            while chunk := await asyncio.to_thread(file.read, CHUNK_SIZE):
                yield chunk
        except OSError as error:
            raise StorageUnavailable(f"local storage: {error.strerror or error}") from error
        finally:
            file.close()

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], *, content_type: str) -> int:
        """Chunk by chunk into a temporary file beside the target, renamed over it when complete."""
        path = self._path(key)
        try:
            await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
            fd, temporary = await asyncio.to_thread(tempfile.mkstemp, dir=path.parent, prefix=".incoming-")
        except OSError as error:
            raise StorageUnavailable(f"local storage: {error.strerror or error}") from error
        written = 0
        try:
            with os.fdopen(fd, "wb") as file:
                async for chunk in chunks:  # the source's own failures pass through as they are
                    await _io(file.write, chunk)
                    written += len(chunk)
                await _io(file.flush)
                await _io(os.fsync, file.fileno())
            await _io(os.chmod, temporary, 0o440)
            await _io(os.replace, temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)  # noqa: ASYNC240 (also on cancellation: no await here)
            raise
        return written

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
        await self.put_stream(target, self.read_chunks(source), content_type="application/octet-stream")

    async def download_url(self, key: str, *, filename: str, content_type: str, expires_in: timedelta) -> str | None:
        return None  # served by the app's signed /files route (api/files/download.py)

    async def presigned_post(
        self, key: str, *, size: int, content_type: str, expires_in: timedelta
    ) -> PresignedPost | None:
        return None

    async def list(self, prefix: str) -> AsyncIterator[StoredObject]:
        """Files under the prefix's directory, walked in a thread a directory at a time; interrupted writes (a
        `.incoming-` temporary left by a crash) are listed too, so that they are collected."""
        top = self._path(prefix.rstrip("/"))
        pending = [top]
        while pending:
            directory = pending.pop()
            try:
                entries = await asyncio.to_thread(_scan, directory)
            except FileNotFoundError:
                continue
            except OSError as error:
                raise StorageUnavailable(f"local storage: {error.strerror or error}") from error
            for path, is_dir, mtime in entries:
                if is_dir:
                    pending.append(path)
                else:
                    key = path.relative_to(self.root).as_posix()
                    yield StoredObject(key, datetime.fromtimestamp(mtime, UTC))

    async def close(self) -> None:
        return None


async def _io(function: Callable[..., object], *args: object) -> None:
    """Blocking file I/O in a thread; its failure is the storage's."""
    try:
        await asyncio.to_thread(function, *args)
    except OSError as error:
        raise StorageUnavailable(f"local storage: {error.strerror or error}") from error


def _scan(directory: Path) -> list[tuple[Path, bool, float]]:
    with os.scandir(directory) as entries:
        return [
            (Path(entry.path), entry.is_dir(follow_symlinks=False), entry.stat(follow_symlinks=False).st_mtime)
            for entry in entries
        ]
