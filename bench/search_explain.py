"""Where a search spends its time: EXPLAIN (ANALYZE, BUFFERS) of every statement the postgres search backend
sends for each of bench/search_bench.py's query shapes (or one given with --query / --case).

Usage:  EXCHANGE_DATA_DIR=/tmp/bench-data .venv/bin/python -m bench.search_explain [--case galvanised] [--runs 3]
        ... --ab 60: instead, each shape's backend call alternately with the terms index and prefix lexemes, the
        terms index with the prefix as a partial match, and one condition per filter with a partial match, 60 times
        each: a comparison the machine's load moves alike.
The statements are captured as SQLAlchemy sends them (text and parameters), then explained on a connection of
their own, in a transaction with the same plan mode; each is run --runs times and the last plan is printed, so
the figures are for a warm cache. Reads only.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import asyncpg
from sqlalchemy import event

from bench.common import bench_database, dsn
from bench.search_bench import CASES
from domain.ports.search import IndexName, ManufacturerSearchFilter, SearchQuery
from exchange.bootstrap import build_runtime, close_runtime
from exchange.settings import Settings
from search.postgres import PostgresSearchIndex


def _query(case: dict[str, Any]) -> SearchQuery:
    f = case["filter"]
    manufacturer_filter = ManufacturerSearchFilter(
        processes=tuple(p.lower() for p in f.get("processes", [])),
        certifications=tuple(c.lower() for c in f.get("certifications", [])),
        regions=tuple(f.get("regions", [])),
        verified_only=bool(f.get("verifiedOnly", False)),
        min_free_hours=f.get("minFreeHours"),
    )
    return SearchQuery(text=case["query"], first=20, manufacturer_filter=manufacturer_filter)


async def explain(url: str, cases: list[dict[str, Any]], runs: int) -> None:
    runtime = build_runtime(Settings(), url=url)
    search = runtime.deps.search
    assert search is not None
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        captured.append((statement, parameters))

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", capture)
    conn = await asyncpg.connect(dsn(url))
    try:
        for case in cases:
            captured.clear()
            started = time.perf_counter()
            result = await search.search(IndexName.manufacturers, _query(case))
            elapsed = (time.perf_counter() - started) * 1000
            estimate = " (estimate)" if result.total_is_estimate else ""
            print(f"\n=== {case['query']!r} {case['filter']}: {result.total}{estimate} matches, {elapsed:.1f} ms")
            for statement, parameters in captured:
                if statement.lstrip().upper().startswith("SET"):
                    continue
                plan: list[str] = []
                for _ in range(runs):
                    async with conn.transaction():
                        await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
                        rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", *parameters)
                        plan = [r[0] for r in rows]
                print("--- " + " ".join(statement.split())[:300])
                print("\n".join(plan))
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", capture)
        await conn.close()
        await close_runtime(runtime)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p))]


class _PartialPrefix(PostgresSearchIndex):
    """The terms index with the last word matched as a prefix (a partial match), as while the vocabulary is not
    known to be complete."""

    async def _preamble(
        self, session: Any, index: IndexName, terms: list[str]
    ) -> tuple[dict[str, list[str]], list[str] | None]:
        return (await super()._preamble(session, index, terms))[0], None


async def compare(url: str, cases: list[dict[str, Any]], times: int) -> None:
    runtime = build_runtime(Settings(), url=url)
    deps = runtime.deps
    ways = {
        "terms index": PostgresSearchIndex(deps.session_factory, deps.clock),
        "terms, prefix partial": _PartialPrefix(deps.session_factory, deps.clock),
        "one condition per filter": PostgresSearchIndex(deps.session_factory, deps.clock, filter_terms=False),
    }
    try:
        for case in cases:
            query = _query(case)
            elapsed: dict[str, list[float]] = {name: [] for name in ways}
            totals = set()
            for _ in range(times):
                for name, index in ways.items():
                    started = time.perf_counter()
                    result = await index.search(IndexName.manufacturers, query)
                    elapsed[name].append((time.perf_counter() - started) * 1000)
                    totals.add(result.total)
            print(f"=== {case['query']!r} {case['filter']}: {sorted(totals)} matches, {times} calls each way")
            for name, values in elapsed.items():
                print(f"  {name:>26}: p50 {_percentile(values, 0.5):6.1f} ms   p95 {_percentile(values, 0.95):6.1f} ms")
    finally:
        await close_runtime(runtime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", default=None, help="only the shape whose text is this (e.g. galvanised)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ab", type=int, default=0, help="compare with and without the terms index, N calls each")
    args = parser.parse_args()
    cases = [c for c in CASES if args.case is None or c["query"] == args.case]
    with bench_database() as url:
        asyncio.run(compare(url, cases, args.ab) if args.ab else explain(url, cases, args.runs))


if __name__ == "__main__":
    main()
