"""Benchmark: indexing lag, commit -> searchable, with the worker loop running (postgres backend).

Usage: .venv/bin/python bench/indexing_lag.py [--samples 40]   (same database settings as search_bench.py)
Renames a manufacturer to a fresh word through the domain service (which writes the outbox row in the same
transaction), then polls the search backend every 10 ms until the word finds it.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

from sqlalchemy import select

from bench.search_bench import percentile
from domain.actor import Actor, Role
from domain.organisations.models import Membership, Organisation, OrganisationKind
from domain.organisations.service import OrganisationChanges, update_organisation
from domain.ports.search import IndexName, SearchQuery
from domain.uow import UnitOfWork
from exchange.bootstrap import build_runtime, close_runtime, resolve_database_url
from exchange.settings import Settings
from exchange.worker import run_forever


async def run(url: str, samples: int) -> None:
    runtime = build_runtime(Settings(), url=url)
    deps = runtime.deps
    assert deps.search is not None
    async with deps.session_factory() as session:
        org_id, user_id = (
            await session.execute(
                select(Organisation.id, Membership.user_id)
                .join(Membership, Membership.organisation_id == Organisation.id)
                .where(Organisation.kind == OrganisationKind.manufacturer)
                .limit(1)
            )
        ).one()
    actor = Actor(user_id=user_id, memberships={org_id: Role.admin})
    stop = asyncio.Event()
    worker = asyncio.create_task(run_forever(deps, stop=stop))
    lags: list[float] = []
    try:
        await asyncio.sleep(1)
        for _ in range(samples):
            word = "lag" + uuid.uuid4().hex[:10]
            async with UnitOfWork(deps.session_factory, deps.clock) as uow:
                await update_organisation(
                    uow, actor=actor, organisation_id=org_id, changes=OrganisationChanges(name=word)
                )
            committed = time.perf_counter()
            while True:
                result = await deps.search.search(IndexName.manufacturers, SearchQuery(text=word, first=1))
                if result.total:
                    break
                if time.perf_counter() - committed > 30:
                    raise SystemExit("not searchable after 30 s")
                await asyncio.sleep(0.01)
            lags.append((time.perf_counter() - committed) * 1000)
    finally:
        stop.set()
        await worker
        await close_runtime(runtime)
    print(f"relay interval {runtime.settings.search_relay_interval_seconds} s, {samples} samples")
    print(
        f"indexing lag: p50 {percentile(lags, 0.5):.0f} ms   p95 {percentile(lags, 0.95):.0f} ms"
        f"   p99 {percentile(lags, 0.99):.0f} ms   max {max(lags):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    url, server = resolve_database_url(Settings())
    try:
        asyncio.run(run(url, args.samples))
    finally:
        if server is not None and server.started_here:
            server.stop()


if __name__ == "__main__":
    main()
