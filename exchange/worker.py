"""Background work: timers (order and bid expiry today; funding and inspection timers come with escrow).

Runs inside `exchange serve` unless --no-worker, or alone as `exchange worker`, any number at once: each
timer is a single UPDATE on the rows it moves, so two workers never move a row twice.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import structlog

from api.context import AppDeps
from domain.bids.service import expire_bids
from domain.orders.service import expire_orders
from domain.uow import UnitOfWork

log = structlog.get_logger(__name__)


async def run_timers_once(deps: AppDeps) -> dict[str, int]:
    """One pass over every timer; returns how many things each moved."""
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        orders = await expire_orders(uow, award_window=timedelta(days=deps.settings.order_award_window_days))
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        bids = await expire_bids(uow)
    if orders or bids:
        log.info("worker.expired", orders=orders, bids=bids)
    return {"orders_expired": orders, "bids_expired": bids}


async def run_forever(deps: AppDeps, *, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    log.info("worker.started", interval_seconds=deps.settings.worker_interval_seconds)
    while not stop.is_set():
        try:
            await run_timers_once(deps)
        except Exception:  # a failed pass is retried on the next tick; the worker must not die
            log.exception("worker.pass_failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=deps.settings.worker_interval_seconds)
        except TimeoutError:
            pass
    log.info("worker.stopped")
