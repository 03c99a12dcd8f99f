"""What a database benchmark's figures depend on, printed with them: the server's settings, how long it has run,
the data's size against its cache, whether its tables were vacuumed and analysed, and how warm the cache was
during the run (blocks found in shared buffers against blocks read from the OS).

The 10x ranking's p95 moved from 78 to 148-180 ms between two sessions on the same command; without these lines
a reader cannot tell a cold cache, tables never vacuumed (index-only scans that visit the heap, hint bits being
set by the first readers) or a different data set from a slower code path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

SETTINGS = (
    "server_version",
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "random_page_cost",
    "jit",
    "max_parallel_workers_per_gather",
)


@dataclass(frozen=True)
class CacheCounters:
    hit: int
    read: int


async def settings(conn: asyncpg.Connection) -> dict[str, str]:
    rows = await conn.fetch("SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)", list(SETTINGS))
    found = {r["name"]: _with_unit(r["setting"], r["unit"]) for r in rows}
    found["jit available"] = str(await conn.fetchval("SELECT pg_jit_available()"))
    found["up for"] = str(await conn.fetchval("SELECT date_trunc('second', now() - pg_postmaster_start_time())"))
    return found


def _with_unit(setting: str, unit: str | None) -> str:
    if unit == "8kB":
        return f"{int(setting) * 8 // 1024} MB"
    if unit == "kB":
        return f"{int(setting) // 1024} MB"
    return setting + (unit or "")


async def tables(conn: asyncpg.Connection, names: Sequence[str]) -> list[dict[str, Any]]:
    """Rows (estimated), size, share of pages all-visible, last (auto)vacuum and (auto)analyse of each table."""
    rows = await conn.fetch(
        """
        SELECT c.relname, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS bytes,
               CASE WHEN c.relpages > 0 THEN round(100.0 * c.relallvisible / c.relpages) END AS all_visible,
               greatest(s.last_vacuum, s.last_autovacuum) AS vacuumed,
               greatest(s.last_analyze, s.last_autoanalyze) AS analysed, s.n_dead_tup AS dead
        FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relname = ANY($1) ORDER BY c.relname
        """,
        list(names),
    )
    return [dict(r) for r in rows]


async def cache_counters(conn: asyncpg.Connection, names: Sequence[str]) -> CacheCounters:
    """Blocks of these tables and their indexes found in shared buffers, and read from outside them, so far."""
    await conn.execute("SELECT pg_stat_clear_snapshot()")
    row = await conn.fetchrow(
        """
        SELECT sum(coalesce(heap_blks_hit, 0) + coalesce(idx_blks_hit, 0) + coalesce(toast_blks_hit, 0)
                   + coalesce(tidx_blks_hit, 0))::bigint AS hit,
               sum(coalesce(heap_blks_read, 0) + coalesce(idx_blks_read, 0) + coalesce(toast_blks_read, 0)
                   + coalesce(tidx_blks_read, 0))::bigint AS read
        FROM pg_statio_user_tables WHERE relname = ANY($1)
        """,
        list(names),
    )
    assert row is not None
    return CacheCounters(hit=int(row["hit"] or 0), read=int(row["read"] or 0))


async def describe(conn: asyncpg.Connection, names: Sequence[str]) -> list[str]:
    """Lines for the benchmark's header: settings, then one line per table."""
    lines = ["server: " + ", ".join(f"{k} {v}" for k, v in (await settings(conn)).items())]
    for t in await tables(conn, names):
        vacuumed = t["vacuumed"].strftime("%Y-%m-%d %H:%M") if t["vacuumed"] else "never"
        analysed = t["analysed"].strftime("%Y-%m-%d %H:%M") if t["analysed"] else "never"
        visible = f"{t['all_visible']:.0f} %" if t["all_visible"] is not None else "?"
        lines.append(
            f"  {t['relname']:<22} ~{t['rows']:>10,} rows {t['bytes'] / 2**20:8.0f} MB  all-visible {visible:>5}"
            f"  vacuumed {vacuumed}  analysed {analysed}  dead rows {t['dead']:,}"
        )
    return lines


def cache_line(before: CacheCounters, after: CacheCounters) -> str:
    hit, read = after.hit - before.hit, after.read - before.read
    share = 100.0 * hit / (hit + read) if hit + read else 100.0
    verdict = "warm" if share >= 99.0 else "partly cold" if share >= 90.0 else "cold"
    return (
        f"cache during the run: {hit:,} blocks from shared buffers, {read:,} read from the OS page cache or disk"
        f" ({share:.1f} % hits: {verdict})"
    )
