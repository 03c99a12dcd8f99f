"""Prometheus metrics: what is counted, and how it is exposed.

Every metric of the process is declared here: the API's (GraphQL operations, websockets, realtime), the database
pool's and the worker's (timers, e-mails, saved searches). It lives in the API, below exchange/, because the API
serves /metrics and counts most of them; exchange/ (the CLI, the worker, the wiring) imports it from here, and the
API never imports exchange/ (tests/unit/test_api_imports.py).

One process: the default registry. Several uvicorn workers (`exchange serve --workers N`): prometheus-client's
multiprocess mode. The CLI points PROMETHEUS_MULTIPROC_DIR at an emptied directory (EXCHANGE_METRICS_DIR, or
<data_dir>/metrics) before uvicorn starts its workers; each worker writes its samples there and whichever worker
answers the scrape sums them (counters and histograms add up, the pool gauges add up over live workers, the outbox
gauges keep the most recent value). A worker that exits is marked dead so its gauges stop counting.

Label values that come from clients (GraphQL operation names) are bounded: a name that is not a plain identifier
is "invalid", and after MAX_OPERATION_NAMES distinct names a process reports further ones as "other".
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import values as _values
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from api.observability.buffered_samples import BufferedSamples

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# In multiprocess mode (a worker of `exchange serve --workers N`: the directory is set before it imports this), the
# metrics below write their increments to the shared files once a second instead of at each one
# (api/observability/buffered_samples.py). prometheus-client makes each value from `values.ValueClass`, chosen when
# it was imported: set before the first metric is declared.
_BUFFERED: BufferedSamples | None = None
if os.environ.get(MULTIPROC_ENV) and getattr(_values.ValueClass, "_multiprocess", False):
    _BUFFERED = BufferedSamples(_values.ValueClass)
    _values.ValueClass = _BUFFERED.value_class

GRAPHQL_REQUESTS = Counter(
    "exchange_graphql_requests_total",
    "GraphQL operations by operation name, type and outcome (ok, user_error: a refusal or a typed UserError, "
    "error: an unexpected fault).",
    ["operation", "type", "outcome"],
)
GRAPHQL_DURATION = Histogram(
    "exchange_graphql_request_duration_seconds",
    "Time to run a GraphQL operation (parse, validate, execute), by operation name and outcome.",
    ["operation", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_POOL_SIZE = Gauge(
    "exchange_db_pool_size", "Connections the pool keeps (EXCHANGE_DB_POOL_SIZE).", multiprocess_mode="livesum"
)
DB_POOL_IN_USE = Gauge(
    "exchange_db_pool_in_use", "Connections checked out of the pool right now.", multiprocess_mode="livesum"
)
DB_CONNECTIONS_OPEN = Gauge(
    "exchange_db_connections_open", "PostgreSQL sessions this process holds open.", multiprocess_mode="livesum"
)
DB_CONNECTIONS_OPENED = Counter(
    "exchange_db_connections_opened_total",
    "PostgreSQL sessions opened (flat after warm-up when the pool is sized right: no churn).",
)
OUTBOX_PENDING = Gauge(
    "exchange_outbox_pending", "Search outbox rows not yet relayed (read at scrape).", multiprocess_mode="mostrecent"
)
OUTBOX_OLDEST_AGE = Gauge(
    "exchange_outbox_oldest_age_seconds",
    "Age of the oldest search outbox row not yet relayed, 0 when none (read at scrape).",
    multiprocess_mode="mostrecent",
)
WORKER_TIMER_LAG = Gauge(
    "exchange_worker_timer_lag_seconds",
    "How late the worker's last timer pass started against its schedule (EXCHANGE_WORKER_INTERVAL_SECONDS).",
    multiprocess_mode="max",
)
WORKER_LAST_PASS = Gauge(
    "exchange_worker_last_pass_timestamp_seconds",
    "Unix time the worker's last pass of each loop ended (alert when it stops moving).",
    ["loop"],
    multiprocess_mode="max",
)
WEBSOCKETS = Gauge(
    "exchange_websocket_connections", "Open websocket connections (subscriptions).", multiprocess_mode="livesum"
)
EMAILS = Counter(
    "exchange_notification_emails_total", "Notification e-mails by outcome (sent, failed, skipped).", ["outcome"]
)
SAVED_SEARCH_NOTIFICATIONS = Counter(
    "exchange_saved_search_notifications_total", "Organisations notified of a new order matching a saved search."
)
REALTIME_SUBSCRIBERS = Gauge(
    "exchange_realtime_subscribers",
    "Subscriptions (and socket sign-in watchers) listening on this process's event hub (read at scrape).",
    multiprocess_mode="livesum",
)
REALTIME_EVENTS = Counter(
    "exchange_realtime_events_total",
    "Events heard for subscriptions watching them on this process, by topic.",
    ["topic"],
)
REALTIME_READS = Counter(
    "exchange_realtime_reads_total",
    "Database reads made to deliver events to subscriptions (one per event per process, whatever the number of "
    "subscribers), by topic.",
    ["topic"],
)
REALTIME_EXECUTIONS = Counter(
    "exchange_realtime_executions_total",
    "Subscription results executed on this process, by subscription field: one per event per group of sockets "
    "that receive the same bytes (same document, variables and viewer's rights), not one per socket.",
    ["field"],
)
REALTIME_DELIVERY = Histogram(
    "exchange_realtime_delivery_seconds",
    "From this process hearing an event to: its shared read done (stage read, once per event), a group's result "
    "executed and handed to its sockets' writers (executed, once per group), a socket's frame written (written, "
    "once per socket).",
    ["stage"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REALTIME_SLOW_SOCKETS = Counter(
    "exchange_realtime_slow_sockets_total",
    "Websockets closed with 1013 because their frames waiting to be written reached the bound (not reading).",
)
REALTIME_LAGGING = Counter(
    "exchange_realtime_lagging_total",
    "Subscriptions that fell too far behind and had their socket closed with 1013 (try again later), by topic.",
    ["topic"],
)

MAX_OPERATION_NAMES = 200
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_seen_operations: set[str] = set()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if not _OPERATION_NAME.match(name):
        return "invalid"
    if name not in _seen_operations:
        if len(_seen_operations) >= MAX_OPERATION_NAMES:
            return "other"
        _seen_operations.add(name)
    return name


# (operation name as sent, type, outcome) -> the two metrics' children for its labels: `labels()` checks and joins
# the label values and takes the metric's lock on every call (~10 µs a request); a child lives as long as its metric
# (nothing here removes one). Bounded as the labels are: at most MAX_OPERATION_NAMES names are cached.
_children: dict[tuple[str | None, str, str], tuple[Any, Any]] = {}


def observe_operation(*, name: str | None, kind: str, outcome: str, seconds: float) -> None:
    children = _children.get((name, kind, outcome))
    if children is None:
        label = operation_label(name)
        children = (GRAPHQL_REQUESTS.labels(label, kind, outcome), GRAPHQL_DURATION.labels(label, outcome))
        if label == name or name is None:  # not the unbounded ones ("invalid", "other")
            _children[(name, kind, outcome)] = children
    children[0].inc()
    children[1].observe(seconds)


def instrument_pool(engine: AsyncEngine, *, pool_size: int) -> None:
    """Pool gauges and the sessions-opened counter, kept up to date by the pool's own events."""
    DB_POOL_SIZE.inc(pool_size)
    target = engine.sync_engine

    @event.listens_for(target, "connect")
    def _connect(*_: Any) -> None:
        DB_CONNECTIONS_OPENED.inc()
        DB_CONNECTIONS_OPEN.inc()

    @event.listens_for(target, "close")
    def _close(*_: Any) -> None:
        DB_CONNECTIONS_OPEN.dec()

    @event.listens_for(target, "close_detached")
    def _close_detached(*_: Any) -> None:
        DB_CONNECTIONS_OPEN.dec()

    @event.listens_for(target, "checkout")
    def _checkout(*_: Any) -> None:
        DB_POOL_IN_USE.inc()

    @event.listens_for(target, "checkin")
    def _checkin(*_: Any) -> None:
        DB_POOL_IN_USE.dec()


def uninstrument_pool(pool_size: int) -> None:
    DB_POOL_SIZE.dec(pool_size)


def worker_pass_done(loop: str) -> None:
    WORKER_LAST_PASS.labels(loop).set(time.time())


def prepare_multiprocess_dir(directory: Path) -> None:
    """Emptied before the workers start (stale files would add old counts), then handed to them by environment."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(directory)


def multiprocess_enabled() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def flush_samples() -> None:
    """Write this process's buffered increments to its multiprocess files now (nothing to do in one process)."""
    if _BUFFERED is not None:
        _BUFFERED.flush()


async def flush_samples_every() -> None:
    """While the process serves: its increments written to the shared files once a second (cancel to stop), so
    that whichever worker answers a scrape sums every worker's counts. Returns at once in one process."""
    if _BUFFERED is not None:
        await _BUFFERED.flush_every()


def mark_process_dead() -> None:
    if multiprocess_enabled():
        flush_samples()
        multiprocess.mark_process_dead(os.getpid())


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric: this process's, or all workers' in multiprocess mode."""
    if multiprocess_enabled():
        flush_samples()  # this worker's own counts, current; the others' are at most a second old
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
