"""Background work: timers — order and bid expiry, contract funding expiry, delivery confirmation and
inspection auto-accept.

Runs inside `exchange serve` unless --no-worker, or alone as `exchange worker`, any number at once: order
and bid expiry are single conditional UPDATEs, and a contract timer locks its contract with SKIP LOCKED and
re-checks it is still due, so two workers never move a row twice.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import structlog

from api.context import AppDeps
from domain.bids.service import expire_bids
from domain.contracts.lifecycle import due_contract_ids, fire_timer
from domain.orders.service import expire_orders
from domain.payments.service import process_events_once
from domain.uow import UnitOfWork
from payments.stripe_webhooks import handle as handle_stripe_event

log = structlog.get_logger(__name__)


async def run_timers_once(deps: AppDeps) -> dict[str, int]:
    """One pass over every timer; returns how many things each moved."""
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        orders = await expire_orders(uow, award_window=timedelta(days=deps.settings.order_award_window_days))
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        bids = await expire_bids(uow)
    contracts = 0
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        due = await due_contract_ids(uow)
    for contract_id in due:
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            contracts += await fire_timer(uow, contract_id=contract_id, payments=deps.payments)
    events = await process_events_once(
        deps.session_factory, deps.clock, lambda uow, event: handle_stripe_event(uow, event, deps.payments)
    )
    if orders or bids or contracts or events:
        log.info("worker.pass", orders_expired=orders, bids_expired=bids, contract_timers=contracts, events=events)
    return {"orders_expired": orders, "bids_expired": bids, "contract_timers": contracts, "provider_events": events}


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
