"""What the benchmarks share: the database, bearer tokens for seeded users, an in-process ASGI call, statistics."""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from domain.identity.rules import hash_token
from exchange.bootstrap import resolve_database_url
from exchange.settings import DEMO_BANK_ACCOUNT, DEMO_BANK_BENEFICIARY, Settings

# Production settings refuse to start without the escrow account buyers pay into (EXCHANGE_BANK_BENEFICIARY,
# EXCHANGE_BANK_DETAILS). The benchmarks serve as production does, with the development demo account (well-formed,
# no bank's; nobody pays into it).


def production_env() -> dict[str, str]:
    """The environment variables a benchmark's production server needs beyond the database."""
    return {
        "EXCHANGE_ENV": "production",
        "EXCHANGE_BANK_BENEFICIARY": DEMO_BANK_BENEFICIARY,
        "EXCHANGE_BANK_DETAILS": DEMO_BANK_ACCOUNT.model_dump_json(),
    }


def production_settings(**overrides: Any) -> Settings:
    """Settings as `exchange serve` reads them in production (in process), with the benchmarks' escrow account."""
    return Settings(
        env="production",
        bank_beneficiary=DEMO_BANK_BENEFICIARY,
        bank_details=DEMO_BANK_ACCOUNT,
        **overrides,
    )


@contextmanager
def bench_database(settings: Settings | None = None) -> Iterator[str]:
    """EXCHANGE_DATABASE_URL, or the embedded server under EXCHANGE_DATA_DIR (stopped again if started here)."""
    url, server = resolve_database_url(settings or Settings())
    try:
        yield url
    finally:
        if server is not None and server.started_here:
            server.stop()


def dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def issue_tokens(url: str, user_ids: Sequence[UUID], *, ttl: timedelta = timedelta(hours=6)) -> list[str]:
    """Bearer tokens written straight into auth_token (signing in through argon2 is not what we measure)."""
    tokens = [secrets.token_urlsafe(32) for _ in user_ids]
    now = datetime.now(UTC)
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.copy_records_to_table(
            "auth_token",
            records=[(uuid4(), u, hash_token(t), now, now + ttl) for u, t in zip(user_ids, tokens, strict=True)],
            columns=["id", "user_id", "token_hash", "created_at", "expires_at"],
        )
    finally:
        await conn.close()
    return tokens


async def fetch(url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn(url))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def asgi_post(app: Any, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """One POST straight into the ASGI app (no sockets, no client library): what the server itself spends."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    never: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await never

    status = 0
    chunks: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    never.cancel()
    return status, b"".join(chunks)


@dataclass(frozen=True, slots=True)
class Summary:
    median: float
    p10: float
    p90: float
    p99: float
    runs: int

    def __str__(self) -> str:
        return (
            f"median {self.median:.2f} ms (p10 {self.p10:.2f}, p90 {self.p90:.2f}, p99 {self.p99:.2f}; n={self.runs})"
        )


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(values: Sequence[float]) -> Summary:
    return Summary(
        statistics.median(values),
        percentile(values, 0.1),
        percentile(values, 0.9),
        percentile(values, 0.99),
        len(values),
    )


def load_average() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def machine() -> str:
    return f"{os.cpu_count()} cores; load average {load_average()}"
