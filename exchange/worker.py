"""Background work: the outbox relays (search sync, saved-search matches, notification e-mail, contract
documents) and the timers — order and bid expiry, contract funding expiry, delivery auto-confirmation, inspection
auto-accept, deadline reminders, direct file uploads never finished, model geometry — provider webhook processing,
and the provider payments (Stripe transfers and refunds) left to make.

Runs inside `exchange serve` unless --no-worker, or alone as `exchange worker`, any number at once: order
and bid expiry are single conditional UPDATEs; a contract timer locks its contract with SKIP LOCKED and
re-checks it is still due; webhook events and outbox rows are claimed with FOR UPDATE SKIP LOCKED; so two
workers never move a row twice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from datetime import timedelta

import structlog

from api.context import AppDeps
from api.observability import prometheus as metrics
from domain.bids.service import expire_bids
from domain.contracts.lifecycle import due_contract_ids, fire_timer
from domain.files.analysis import analyse_pending_models
from domain.files.gc import collect_unreferenced_blobs, sweep_orphan_objects
from domain.files.uploads import remove_expired_uploads
from domain.identity.throttle import purge_throttle_counters
from domain.orders.service import expire_orders
from domain.payments.pending import make_pending
from domain.payments.service import process_events_once
from domain.reminders.service import remind_deadlines
from domain.uow import UnitOfWork
from exchange import account_mail_relay, document_relay, notification_relay, outbox_relay, saved_search_relay
from exchange.settings import Settings
from payments.stripe_webhooks import handle as handle_stripe_event

log = structlog.get_logger(__name__)


def worker_settings(deps: AppDeps) -> Settings:
    """The whole configuration: the worker reads settings the API does not name (timer and relay intervals, batch
    sizes, retention), so it runs on exchange's own `Settings`, which exchange/bootstrap.py hands to `AppDeps`."""
    if not isinstance(deps.settings, Settings):
        raise TypeError(f"the worker needs exchange.settings.Settings, not {type(deps.settings).__name__}")
    return deps.settings


async def run_timers_once(deps: AppDeps) -> dict[str, int]:
    """One pass over every timer; returns how many things each moved."""
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        orders = await expire_orders(uow, award_window=timedelta(days=worker_settings(deps).order_award_window_days))
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        bids = await expire_bids(uow)
    contracts = 0
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        due = await due_contract_ids(uow)
    for contract_id in due:
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            contracts += await fire_timer(uow, contract_id=contract_id, payments=deps.payments)
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        reminders = await remind_deadlines(uow)
    uploads = models = blobs = 0
    if deps.files is not None:
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            uploads = await remove_expired_uploads(uow, files=deps.files)
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            blobs = await collect_unreferenced_blobs(uow, files=deps.files)
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            models = await analyse_pending_models(uow, files=deps.files)
    events = await process_events_once(
        deps.session_factory, deps.clock, lambda uow, event: handle_stripe_event(uow, event, deps.payments)
    )
    # Last: the transfers and refunds recorded by the timers and events above, and any a request left behind.
    async with UnitOfWork(deps.session_factory, deps.clock) as uow:
        provider_payments = await make_pending(uow, deps.payments.provider)
    if orders or bids or contracts or events or reminders or uploads or blobs or models or provider_payments:
        log.info(
            "worker.pass",
            orders_expired=orders,
            bids_expired=bids,
            contract_timers=contracts,
            events=events,
            provider_payments=provider_payments,
            reminders=reminders,
            uploads_removed=uploads,
            blobs_removed=blobs,
            files_analysed=models,
        )
    return {
        "orders_expired": orders,
        "bids_expired": bids,
        "contract_timers": contracts,
        "provider_events": events,
        "provider_payments": provider_payments,
        "reminders": reminders,
        "uploads_removed": uploads,
        "files_analysed": models,
        "blobs_removed": blobs,
    }


async def relay_outbox_once(deps: AppDeps) -> outbox_relay.RelayResult:
    """One relay pass: due outbox rows -> the search backend (nothing to do without a backend)."""
    if deps.search is None:
        return outbox_relay.RelayResult()
    return await outbox_relay.relay_outbox_once(
        deps.session_factory, deps.clock, deps.search, limit=worker_settings(deps).search_relay_batch
    )


async def relay_notification_emails_once(
    deps: AppDeps, stop: asyncio.Event | None = None
) -> notification_relay.MailResult:
    """One pass: due notification e-mails -> the mail sender (nothing to do without one); a stop request ends
    it after the message in hand."""
    if deps.mailer is None:
        return notification_relay.MailResult()
    result = await notification_relay.relay_notification_emails_once(
        deps.session_factory, deps.clock, deps.mailer, stop=stop
    )
    for outcome in ("sent", "failed", "skipped"):
        metrics.EMAILS.labels(outcome).inc(getattr(result, outcome))
    return result


async def relay_account_emails_once(deps: AppDeps) -> notification_relay.MailResult:
    """One pass: due verification and password-reset e-mails -> the mail sender (nothing to do without one)."""
    if deps.mailer is None:
        return notification_relay.MailResult()
    return await account_mail_relay.relay_account_emails_once(
        deps.session_factory, deps.clock, deps.mailer, public_url=worker_settings(deps).public_url
    )


async def relay_saved_searches_once(deps: AppDeps) -> saved_search_relay.MatchResult:
    """One pass: orders that opened for bids -> notifications to the saved searches they match."""
    if deps.search is None:
        return saved_search_relay.MatchResult()
    result = await saved_search_relay.relay_saved_searches_once(deps.session_factory, deps.clock, deps.search)
    metrics.SAVED_SEARCH_NOTIFICATIONS.inc(result.notified)
    return result


async def relay_documents_once(deps: AppDeps) -> document_relay.DocumentResult:
    """One pass: contracts with documents due -> rendered PDFs in the files storage (nothing without storage)."""
    if deps.files is None or deps.documents is None:
        return document_relay.DocumentResult()
    return await document_relay.relay_documents_once(
        deps.session_factory,
        deps.clock,
        storage=deps.files.storage,
        renderer=deps.documents,
        provider=deps.payments.provider,
        policy=deps.payments.policy,
        zone=deps.settings.reporting_zone,
    )


async def _logging_failure(event: str, work: Awaitable[object]) -> None:
    """Runs one relay pass; a failure is logged as `event` and the pass retried on the next tick (the worker must
    not die of it)."""
    try:
        await work
    except Exception:
        log.exception(event)


async def run_forever(deps: AppDeps, *, stop: asyncio.Event | None = None) -> None:
    """The relay runs every EXCHANGE_SEARCH_RELAY_INTERVAL_SECONDS (search lag), the timers every
    EXCHANGE_WORKER_INTERVAL_SECONDS."""
    stop = stop or asyncio.Event()
    settings = worker_settings(deps)
    log.info("worker.started", interval_seconds=settings.worker_interval_seconds)
    timers_due = 0.0
    sweep_due = time.monotonic() + 60.0  # the first listing of the file store a minute after starting
    while not stop.is_set():
        try:
            # A full batch means more is waiting: go again at once.
            while (await relay_outbox_once(deps)).done >= settings.search_relay_batch and not stop.is_set():
                pass
        except Exception:  # a failed pass is retried on the next tick; the worker must not die
            log.exception("worker.relay_failed")
        metrics.worker_pass_done("relay")
        await _logging_failure("worker.saved_search_relay_failed", relay_saved_searches_once(deps))
        await _logging_failure("worker.mail_relay_failed", relay_notification_emails_once(deps, stop))
        await _logging_failure("worker.account_mail_relay_failed", relay_account_emails_once(deps))
        await _logging_failure("worker.document_relay_failed", relay_documents_once(deps))
        now = time.monotonic()
        if now >= timers_due:
            # How late this pass starts against its schedule: a relay that keeps the loop busy shows here.
            metrics.WORKER_TIMER_LAG.set(now - timers_due if timers_due else 0.0)
            timers_due = now + settings.worker_interval_seconds
            try:
                await run_timers_once(deps)
                await outbox_relay.purge_done(
                    deps.session_factory, deps.clock, older_than=timedelta(days=settings.outbox_retention_days)
                )
                # Counters older than the longest throttle window (an hour) count for nothing any more.
                await purge_throttle_counters(deps.session_factory, deps.clock, older_than=timedelta(days=1))
                metrics.worker_pass_done("timers")
            except Exception:
                log.exception("worker.pass_failed")
        if deps.files is not None and time.monotonic() >= sweep_due:
            sweep_due = time.monotonic() + settings.files_gc_sweep_hours * 3600
            try:
                async with UnitOfWork(deps.session_factory, deps.clock) as uow:
                    orphans = await sweep_orphan_objects(uow, files=deps.files)
                log.info("worker.files_swept", objects_removed=orphans)
            except Exception:
                log.exception("worker.files_sweep_failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=settings.search_relay_interval_seconds)
        except TimeoutError:
            pass
    log.info("worker.stopped")
