"""A worker's metrics in multiprocess mode (api/observability/buffered_samples.py): its increments reach the shared
files at its next flush — once a second while it serves, before it answers a scrape, when it stops — exact, and
summed with the other workers' by whichever one answers.

Each case runs in a process of its own: prometheus-client picks its value class when it is imported, from the
environment (PROMETHEUS_MULTIPROC_DIR), as a worker of `exchange serve --workers N` does."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.parser import text_string_to_metric_families


def _worker(directory: Path, script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env={"PROMETHEUS_MULTIPROC_DIR": str(directory), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _files_say(directory: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """What a scrape by another process sums from the files alone."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(directory))
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in registry.collect()
        for sample in family.samples
    }


REQUESTS = ("exchange_graphql_requests_total", (("operation", "Detail"), ("outcome", "ok"), ("type", "query")))
DURATION_COUNT = ("exchange_graphql_request_duration_seconds_count", (("operation", "Detail"), ("outcome", "ok")))


def test_increments_wait_for_the_flush_and_arrive_exact(tmp_path: Path) -> None:
    out = _worker(
        tmp_path,
        """
        from api.observability import prometheus as metrics
        from prometheus_client import values
        assert values.ValueClass is metrics._BUFFERED.value_class
        for _ in range(7):
            metrics.observe_operation(name="Detail", kind="query", outcome="ok", seconds=0.002)
            metrics.DB_POOL_IN_USE.inc()
        metrics.DB_POOL_IN_USE.dec(3)
        requests = metrics.GRAPHQL_REQUESTS.labels("Detail", "query", "ok")
        print(requests._value.get(), metrics.DB_POOL_IN_USE._value.get(), flush=True)
        import os
        os._exit(0)  # a worker that dies without flushing: its last counts never reach the files
        """,
    )
    assert out.split() == ["7.0", "4.0"]  # in memory, exact
    unflushed = _files_say(tmp_path)
    assert unflushed.get(REQUESTS, 0.0) == 0.0
    assert unflushed.get(("exchange_db_pool_in_use", ()), 0.0) == 0.0

    _worker(
        tmp_path,
        """
        from api.observability import prometheus as metrics
        for _ in range(5):
            metrics.observe_operation(name="Detail", kind="query", outcome="ok", seconds=0.002)
        metrics.DB_POOL_IN_USE.inc(2)
        metrics.flush_samples()
        """,
    )
    flushed = _files_say(tmp_path)
    assert flushed[REQUESTS] == 5.0
    assert flushed[DURATION_COUNT] == 5.0
    buckets = {
        dict(labels)["le"]: value
        for (name, labels), value in flushed.items()
        if name == "exchange_graphql_request_duration_seconds_bucket" and dict(labels)["operation"] == "Detail"
    }
    assert [buckets[le] for le in ("0.005", "0.01", "+Inf")] == [5.0, 5.0, 5.0], buckets


def test_a_scrape_sums_every_worker_its_own_counts_current(tmp_path: Path) -> None:
    _worker(
        tmp_path,
        """
        from api.observability import prometheus as metrics
        for _ in range(3):
            metrics.observe_operation(name="Detail", kind="query", outcome="ok", seconds=0.002)
        metrics.flush_samples()
        """,
    )
    out = _worker(
        tmp_path,
        """
        from api.observability import prometheus as metrics
        for _ in range(4):
            metrics.observe_operation(name="Detail", kind="query", outcome="ok", seconds=0.002)
        body, _ = metrics.exposition()  # not flushed before: the scrape flushes this worker's own
        print(body.decode())
        """,
    )
    scraped = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(out)
        for sample in family.samples
    }
    assert scraped[REQUESTS] == 7.0


def test_a_serving_worker_flushes_within_a_second_and_threads_lose_nothing(tmp_path: Path) -> None:
    _worker(
        tmp_path,
        """
        import asyncio, threading
        from api.observability import prometheus as metrics

        def count() -> None:
            for _ in range(20_000):
                metrics.DB_CONNECTIONS_OPENED.inc()

        async def main() -> None:
            flusher = asyncio.create_task(metrics._BUFFERED.flush_every(0.001))
            threads = [threading.Thread(target=count) for _ in range(4)]
            for thread in threads:
                thread.start()
            while any(thread.is_alive() for thread in threads):
                await asyncio.sleep(0.001)  # flushes run while the threads count
            metrics.observe_operation(name="Detail", kind="query", outcome="ok", seconds=0.002)
            await asyncio.sleep(0.05)
            flusher.cancel()

        asyncio.run(main())
        import os
        os._exit(0)  # no flush at exit: what the files hold is the serving flushes' work
        """,
    )
    files = _files_say(tmp_path)
    assert files[("exchange_db_connections_opened_total", ())] == 80_000.0
    assert files[REQUESTS] == 1.0


def test_one_process_keeps_prometheus_clients_own_values() -> None:
    """Without the directory (one process): nothing is buffered, nothing to flush."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from api.observability import prometheus as m; from prometheus_client import values; "
            "assert m._BUFFERED is None and values.ValueClass is values.MutexValue; m.flush_samples()",
        ],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
