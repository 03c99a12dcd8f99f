"""GET /files/download/{token}: serves one file revision to whoever holds a signed token (issued by
requestFileDownload after the rights were checked), until it expires. Always as an attachment, never rendered:
a PDF with JavaScript or an SVG-like payload cannot run on this origin."""

from __future__ import annotations

import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.context import AppDeps
from domain.files import signing
from domain.files.service import DOWNLOAD_PATH, mark_served
from domain.files.storage import BlobMissing, StorageUnavailable, blob_key
from domain.uow import UnitOfWork
from storage.s3 import content_disposition

log = structlog.get_logger(__name__)


def download_routes(deps: AppDeps) -> list[Route]:
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

    return [Route(DOWNLOAD_PATH + "{token}", download, methods=["GET"])]
