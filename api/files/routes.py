"""The app's own file routes, for storage that cannot sign URLs itself (the local filesystem):

- GET /files/download/{token}: serves one file revision to whoever holds a signed token (issued by
  requestFileDownload after the rights were checked), until it expires. Always as an attachment, never rendered:
  a PDF with JavaScript cannot run on this origin.
- PUT /files/upload/{token}: the bytes of a direct upload (requestFileUpload), exactly the announced size, read as
  they stream in, straight to storage (api/limits.py's BodyLimit leaves this route's body to it); finishFileUpload then
  verifies them, reading them back as a stream too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from api.context import AppDeps
from domain.errors import DomainError
from domain.files import signing
from domain.files.service import DOWNLOAD_PATH, mark_served
from domain.files.uploads import UPLOAD_PATH, pending_upload, store_upload_bytes
from domain.ports.storage import StorageUnavailable, blob_key
from domain.uow import UnitOfWork
from storage.s3 import content_disposition

log = structlog.get_logger(__name__)


def file_routes(deps: AppDeps) -> list[Route]:
    if deps.files is None:
        return []
    files = deps.files

    async def download(request: Request) -> Response:
        try:
            grant = signing.verify(request.path_params["token"], files.signing_key, deps.clock.now())
        except signing.BadToken as error:
            status = 410 if str(error) == "expired" else 403
            return JSONResponse({"error": f"the download link is not valid: {error}"}, status_code=status)
        key = blob_key(grant.sha256)
        try:
            size = await files.storage.size(key)
        except StorageUnavailable as error:
            log.warning("files.storage_unavailable", error=str(error))
            return JSONResponse({"error": "the file storage is unavailable; try again"}, status_code=503)
        if size is None:
            return JSONResponse({"error": "the file is gone"}, status_code=404)
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            await mark_served(uow, grant.download_id)
        # Streamed a chunk at a time (storage.CHUNK_SIZE): a large model is never whole in memory.
        return StreamingResponse(
            files.storage.read_chunks(key),
            media_type=grant.content_type,
            headers={
                "Content-Length": str(size),
                "Content-Disposition": content_disposition(grant.name),
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
                "Cache-Control": "private, no-store",
            },
        )

    async def upload(request: Request) -> Response:
        now = deps.clock.now()
        try:
            upload_id, size = signing.verify_upload(request.path_params["token"], files.signing_key, now)
        except signing.BadToken as error:
            status = 410 if str(error) == "expired" else 403
            return JSONResponse({"error": f"the upload link is not valid: {error}"}, status_code=status)

        async def bounded() -> AsyncIterator[bytes]:
            received = 0
            async for chunk in request.stream():
                received += len(chunk)
                if received > size:
                    raise _TooLarge
                yield chunk

        try:
            async with UnitOfWork(deps.session_factory, deps.clock) as uow:
                pending = await pending_upload(uow, upload_id=upload_id, now=now)
            # Streamed to storage as it arrives (no transaction held open meanwhile).
            await store_upload_bytes(files, upload=pending, chunks=bounded())
        except _TooLarge:
            return JSONResponse({"error": f"more than the {size} bytes announced"}, status_code=413)
        except DomainError as error:
            return JSONResponse({"error": error.message, "code": error.code.name}, status_code=_status(error))
        return Response(status_code=204)

    return [
        Route(DOWNLOAD_PATH + "{token}", download, methods=["GET"]),
        Route(UPLOAD_PATH + "{token}", upload, methods=["PUT"]),
    ]


class _TooLarge(Exception):
    pass


def _status(error: DomainError) -> int:
    return {"NOT_FOUND": 404, "UPLOAD_MISMATCH": 400, "STORAGE_UNAVAILABLE": 503}.get(error.code.name, 400)
