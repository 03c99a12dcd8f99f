"""Where a ranking spends its time: the service call (`recommend_manufacturers`) split into its statements and the
Python around them, then EXPLAIN (ANALYZE, BUFFERS) of the ranking statement, for bench/match_bench.py's orders.

Usage:  EXCHANGE_DATA_DIR=/tmp/bench-data .venv/bin/python -m bench.match_explain [--orders 3] [--runs 3]
The statements are captured as SQLAlchemy sends them (text and parameters) while the service runs as the demo
operator; each is then explained on a connection of its own, in a transaction with the service's settings (plan mode,
work_mem), --runs times, and the last plan is printed (a warm cache). Reads only.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg
from sqlalchemy import event, select

from bench.common import bench_database, dsn
from domain.actor import Actor
from domain.matching.rules import Factor
from domain.matching.service import RANKING_WORK_MEM, recommend_manufacturers
from domain.orders.models import OrderStatus, ProductionOrder
from exchange.bootstrap import build_runtime, close_runtime
from exchange.settings import Settings


async def explain(url: str, orders: int, runs: int, random_seed: int) -> None:
    runtime = build_runtime(Settings(), url=url)
    captured: list[tuple[str, Any, float]] = []
    started_at: dict[int, float] = {}

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        started_at[id(context)] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        elapsed = (time.perf_counter() - started_at.pop(id(context), time.perf_counter())) * 1000
        captured.append((statement, parameters, elapsed))

    engine = runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    conn = await asyncpg.connect(dsn(url))
    operator = Actor(user_id=uuid4(), is_operator=True)
    weights = {Factor(name): value for name, value in runtime.settings.match_weights.items()}
    now = datetime.now(UTC)
    try:
        async with runtime.deps.session_factory() as session:
            ids = list(
                await session.scalars(
                    select(ProductionOrder.id)
                    .where(ProductionOrder.status == OrderStatus.open)
                    .order_by(ProductionOrder.id)
                    .limit(20_000)
                )
            )
        # The same draw as bench/match_bench.py (same seed, same list): its first orders.
        chosen = random.Random(random_seed).sample(ids, min(20, len(ids)))[:orders]
        for order_id in chosen:
            for _ in range(runs):
                captured.clear()
                async with runtime.deps.session_factory() as session, session.begin():
                    started = time.perf_counter()
                    result = await recommend_manufacturers(
                        session,
                        actor=operator,
                        order_id=order_id,
                        today=now.date(),
                        first=20,
                        weights=weights,
                        now=now,
                    )
                    total = (time.perf_counter() - started) * 1000
            in_sql = sum(elapsed for _, _, elapsed in captured)
            print(
                f"\n=== order {order_id}: {result.fitting} fitting, {result.excluded_count} excluded;"
                f" service {total:.1f} ms = statements {in_sql:.1f} ms + Python {total - in_sql:.1f} ms"
            )
            for statement, _, elapsed in captured:
                print(f"  {elapsed:7.1f} ms  {' '.join(statement.split())[:110]}")
            ranking = max(captured, key=lambda c: len(c[0]))
            plan: list[str] = []
            for _ in range(runs):
                async with conn.transaction():
                    await conn.execute(
                        "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                        f" set_config('work_mem', '{RANKING_WORK_MEM}', true)"
                    )
                    rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {ranking[0]}", *ranking[1])
                    plan = [r[0] for r in rows]
            print("--- the ranking statement")
            print("\n".join(plan))
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        await conn.close()
        await close_runtime(runtime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=3, help="how many of match_bench's orders (at most 20)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--random-seed", type=int, default=7)
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(explain(url, args.orders, args.runs, args.random_seed))


if __name__ == "__main__":
    main()
