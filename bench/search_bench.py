"""Benchmark: a typical filtered text search through GraphQL, on the postgres search backend.

Usage (see bench/README.md):  .venv/bin/python bench/search_bench.py [--requests 300] [--warmup 30]
Uses the database EXCHANGE_DATABASE_URL or the embedded one (EXCHANGE_DATA_DIR, EXCHANGE_EMBEDDED_PG_PORT).
Each request goes through the whole GraphQL stack in-process (httpx ASGI transport: parsing, validation,
the resolver, the search, the DataLoader); the time of the search backend call alone is reported too.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import asyncpg
import httpx

from bench import state
from bench.common import dsn, load_average
from bench.queries import MANUFACTURER_SEARCH
from domain.ports.search import IndexName
from exchange.bootstrap import build_app, build_runtime, close_runtime, resolve_database_url
from exchange.db import EmbeddedPostgres
from exchange.settings import Settings

QUERY = MANUFACTURER_SEARCH  # the same query the load benchmark sends

# What buyers type: a material or a part, often with a typo, narrowed by process, region, certificate.
CASES: list[dict[str, Any]] = [
    {"query": "titanium", "filter": {"processes": ["CNC_MILLING"], "certifications": ["ISO_9001"]}},
    {"query": "aluminium amg6", "filter": {"regions": ["RU-MOW", "RU-MOS"], "processes": ["CNC_TURNING"]}},
    {"query": "stainles", "filter": {"processes": ["LASER_CUTTING"], "verifiedOnly": True}},
    {"query": "Урал", "filter": {"processes": ["CNC_MILLING"]}},
    {"query": "steel 45", "filter": {"regions": ["RU-SVE"], "minFreeHours": 40, "processes": ["CNC_MILLING"]}},
    {"query": "корпус", "filter": {"certifications": ["ISO_9001"], "regions": ["RU-SPE"]}},
    {"query": "galvanised", "filter": {"processes": ["SHEET_METAL"], "regions": ["RU-TA"]}},
    {"query": "", "filter": {"processes": ["INJECTION_MOLDING"], "regions": ["RU-MOW"]}},
]


TABLES = ("search_manufacturer", "search_document", "search_lexeme", "organisation")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


async def run(url: str, requests: int, warmup: int) -> None:
    settings = Settings()
    runtime = build_runtime(settings, url=url)
    app = build_app(runtime)
    search = runtime.deps.search
    assert search is not None
    backend_times: list[float] = []
    original = search.search

    async def timed(index: IndexName, query: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original(index, query)
        finally:
            backend_times.append((time.perf_counter() - started) * 1000)

    search.search = timed  # type: ignore[method-assign]
    documents = await search.count(IndexName.manufacturers)  # type: ignore[attr-defined]
    monitor = await asyncpg.connect(dsn(url))
    for line in await state.describe(monitor, TABLES):
        print(line)
    vocabulary = await monitor.fetch(
        "SELECT name, finished_at FROM backfill_progress WHERE name LIKE 'search-terms%' AND finished_at IS NOT NULL"
    )
    print(
        "prefix vocabulary: "
        + (
            "complete (" + ", ".join(f"{r['name']} {r['finished_at']:%Y-%m-%d %H:%M}" for r in vocabulary) + ")"
            if vocabulary
            else "NOT known complete: prefixes matched partially (slower); run `exchange search reindex`"
            " or `exchange backfill run search-terms`"
        )
    )
    cache_before = await state.cache_counters(monitor, TABLES)
    print(f"load average at the start: {load_average()}")
    totals: dict[str, int] = {}
    times: list[float] = []
    by_case: dict[str, list[float]] = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for n in range(warmup + requests):
            case = CASES[n % len(CASES)]
            started = time.perf_counter()
            response = await client.post("/graphql", json={"query": QUERY, "variables": case})
            elapsed = (time.perf_counter() - started) * 1000
            body = response.json()
            result = body["data"]["searchManufacturers"]
            assert result["__typename"] == "ManufacturerSearch", body
            totals[case["query"] or "(browse)"] = result["total"]
            if n >= warmup:
                times.append(elapsed)
                by_case.setdefault(case["query"] or "(browse)", []).append(elapsed)
    backend = backend_times[warmup:]
    await asyncio.sleep(1.2)  # backends report their block counts at most once a second
    print(state.cache_line(cache_before, await state.cache_counters(monitor, TABLES)))
    print(f"load average at the end: {load_average()}")
    await monitor.close()
    await close_runtime(runtime)
    print(f"manufacturer documents indexed: {documents}")
    print(f"requests: {requests} (after {warmup} warm-up), {len(CASES)} query shapes in turn")
    for name, values in (("GraphQL request", times), ("search backend call", backend)):
        print(
            f"{name:>20}: p50 {percentile(values, 0.5):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
            f"   p99 {percentile(values, 0.99):6.1f} ms   mean {statistics.mean(values):6.1f} ms"
        )
    backend_by_case: dict[str, list[float]] = {}
    for n, elapsed in enumerate(backend):
        case = CASES[(warmup + n) % len(CASES)]
        backend_by_case.setdefault(case["query"] or "(browse)", []).append(elapsed)
    for name, total in totals.items():
        values, inside = by_case[name], backend_by_case[name]
        print(
            f"  {name!r:18} {total:6d} matches   GraphQL p50 {percentile(values, 0.5):6.1f} ms"
            f"   p95 {percentile(values, 0.95):6.1f} ms   backend p50 {percentile(inside, 0.5):6.1f} ms"
            f"   p95 {percentile(inside, 0.95):6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument(
        "--shared-buffers",
        default=None,
        help="start the embedded PostgreSQL with this shared_buffers (e.g. 1GB; its default is 128MB)",
    )
    args = parser.parse_args()
    settings = Settings()
    if settings.database_url or not args.shared_buffers:
        url, server = resolve_database_url(settings)
    else:
        server = EmbeddedPostgres(
            settings.pg_data_dir, settings.embedded_pg_port, settings={"shared_buffers": args.shared_buffers}
        )
        if server.running_pid() is not None:
            raise SystemExit("the embedded PostgreSQL is running already: stop it to change shared_buffers")
        url = server.start()
    try:
        asyncio.run(run(url, args.requests, args.warmup))
    finally:
        if server is not None and server.started_here:
            server.stop()


if __name__ == "__main__":
    main()
