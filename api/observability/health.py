"""Liveness and readiness.

- `/health/live`: the process answers; no I/O, so a slow database never gets a healthy process restarted.
- `/health/ready`: the database answers, its schema is at the code's migration head, and the search backend
  answers (Meilisearch's /health; the PostgreSQL backend is the database). 200 when all pass, else 503 naming the
  check that failed: take the instance out of the load balancer until it is ready again.
- `/health`: unchanged (the database only), for existing probes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path

import httpx
import structlog
from alembic.script import ScriptDirectory
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

import migrations
from api.context import AppDeps

log = structlog.get_logger(__name__)

CHECK_TIMEOUT_SECONDS = 3.0


class NotReady(Exception):
    def __init__(self, check: str, detail: str, *, passed: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.check = check
        self.detail = detail
        self.passed = passed or {}


@cache
def migration_heads() -> frozenset[str]:
    """The head revisions of the migrations shipped with this code, the `migrations` package (read once: they do not
    change at run time)."""
    return frozenset(ScriptDirectory(str(Path(migrations.__file__).resolve().parent)).get_heads())


async def check_database(deps: AppDeps) -> dict[str, str]:
    try:
        async with deps.session_factory() as session:
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            result = await session.execute(text("SELECT version_num FROM alembic_version"))
            applied = frozenset(row[0] for row in result)
    except Exception as error:
        detail = " ".join(str(getattr(error, "orig", None) or error).split())[:200]
        raise NotReady("database", detail or type(error).__name__) from error
    heads = migration_heads()
    if applied != heads:
        raise NotReady(
            "migrations",
            f"the database is at {', '.join(sorted(applied)) or 'no revision'}, the code at {', '.join(sorted(heads))}",
            passed={"database": "ok"},
        )
    return {"database": "ok", "migrations": "at head"}


async def check_search(deps: AppDeps) -> dict[str, str]:
    url = deps.settings.meili_url
    if not url:
        return {"search": "ok (postgres)"}
    try:
        async with httpx.AsyncClient(timeout=CHECK_TIMEOUT_SECONDS) as client:
            response = await client.get(url.rstrip("/") + "/health")
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise NotReady("search", f"meilisearch at {url}: {str(error) or type(error).__name__}") from error
    return {"search": "ok (meilisearch)"}


async def readiness(deps: AppDeps) -> tuple[bool, dict[str, str]]:
    checks: dict[str, str] = {}
    ready = True

    async def run(name: str, check: Callable[[AppDeps], Awaitable[dict[str, str]]]) -> None:
        nonlocal ready
        try:
            checks.update(await asyncio.wait_for(check(deps), CHECK_TIMEOUT_SECONDS + 1))
        except NotReady as error:
            ready = False
            checks.update(error.passed)
            checks[error.check] = f"failed: {error.detail}"
        except TimeoutError:
            ready = False
            checks[name] = "failed: timed out"

    await asyncio.gather(run("database", check_database), run("search", check_search))
    return ready, checks


def health_routes(
    deps: AppDeps,
) -> tuple[Callable[[Request], Awaitable[JSONResponse]], Callable[[Request], Awaitable[JSONResponse]]]:
    async def live(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(_: Request) -> JSONResponse:
        ok, checks = await readiness(deps)
        if not ok:
            log.warning("health.not_ready", **checks)
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)

    return live, ready
