"""The web app (web/dist, built by `make run`) served at `/`: files as they are, client routes fall back to index.html.

The API's own paths (/graphql, /health, /webhooks/…) are routed before this and never reach it. Vite names every
asset after its content hash, so assets are cached for a year; index.html is revalidated on every load so that a
deploy reaches browsers at once.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Contract Production Exchange</title></head><body><h1>Contract Production Exchange</h1>
<p>The web app is not built (it needs Node.js 20.19 or newer:
<code>make run</code> builds it). The API is up: <a href="/graphql">/graphql</a>.</p></body></html>"""


def web_routes(dist: Path | None) -> list[Route]:
    """A catch-all GET route for the SPA. `dist` missing or unbuilt: a page that says so (the API still works)."""
    root = dist.resolve() if dist is not None else None
    index = root / "index.html" if root is not None else None

    async def serve(request: Request) -> Response:
        if root is None or index is None or not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        relative = request.path_params.get("path", "")
        candidate = (root / relative).resolve()
        # Only files inside dist; `..` or a symlink out of it is treated as a client route.
        if relative and candidate.is_relative_to(root) and candidate.is_file():
            cache = IMMUTABLE if candidate.parent.name == "assets" else REVALIDATE
            return FileResponse(candidate, headers={"cache-control": cache})
        if relative.startswith("assets/") or Path(relative).suffix in {".js", ".css", ".map", ".png", ".svg", ".ico"}:
            # A missing asset is a 404, not the app: a stale tab must not parse HTML as JavaScript.
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(index, headers={"cache-control": REVALIDATE})

    return [Route("/{path:path}", serve, methods=["GET", "HEAD"])]
