"""The app's own file routes, for storage that cannot sign URLs itself (the local filesystem):

- GET /files/download/{token}: serves one file revision to whoever holds a signed token (issued by
  requestFileDownload after the rights were checked), until it expires. Always as an attachment, never rendered:
  a PDF with JavaScript cannot run on this origin.
- PUT /files/upload/{token}: the bytes of a direct upload (requestFileUpload), exactly the announced size, read as
  they stream in (api/limits.py's BodyLimit leaves this route's body to it); finishFileUpload then verifies them."""

from __future__ import annotations

import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.context import AppDeps
from domain.errors import DomainError
from domain.files import signing
from domain.files.service import DOWNLOAD_PATH, mark_served
from domain.files.uploads import UPLOAD_PATH, accept_upload_bytes
from domain.ports.storage import BlobMissing, StorageUnavailable, blob_key
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
        try:
            data = await files.storage.get(blob_key(grant.sha256))
        except BlobMissing:
            return JSONResponse({"error": "the file is gone"}, status_code=404)
        except StorageUnavailable as error:
            log.warning("files.storage_unavailable", error=str(error))
            return JSONResponse({"error": "the file storage is unavailable; try again"}, status_code=503)
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            await mark_served(uow, grant.download_id)
        return Response(
            data,
            media_type=grant.content_type,
            headers={
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
        chunks: list[bytes] = []
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > size:
                return JSONResponse({"error": f"more than the {size} bytes announced"}, status_code=413)
            chunks.append(chunk)
        try:
            async with UnitOfWork(deps.session_factory, deps.clock) as uow:
                await accept_upload_bytes(uow, files=files, upload_id=upload_id, data=b"".join(chunks), now=now)
        except DomainError as error:
            return JSONResponse({"error": error.message, "code": error.code.name}, status_code=_status(error))
        return Response(status_code=204)

    return [
        Route(DOWNLOAD_PATH + "{token}", download, methods=["GET"]),
        Route(UPLOAD_PATH + "{token}", upload, methods=["PUT"]),
    ]


def _status(error: DomainError) -> int:
    return {"NOT_FOUND": 404, "UPLOAD_MISMATCH": 400, "STORAGE_UNAVAILABLE": 503}.get(error.code.name, 400)
