"""SIGTERM (what `docker stop`, systemd and Kubernetes send) stops `exchange serve` and `exchange worker` cleanly:
exit 0 within the grace period, and an embedded PostgreSQL they started is stopped too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from exchange.db import EmbeddedPostgres, free_port

EXCHANGE = str(Path(sys.executable).parent / "exchange")
GRACE_SECONDS = 30


@dataclass(frozen=True)
class Workspace:
    """A directory and ports of their own: an embedded PostgreSQL that no other test shares."""

    root: Path
    pg_port: int

    @property
    def pg_data(self) -> Path:
        return self.root / "data" / "pg"

    def env(self, **settings: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("EXCHANGE_")}
        return (
            env
            | {
                "EXCHANGE_DATA_DIR": str(self.root / "data"),
                "EXCHANGE_EMBEDDED_PG_PORT": str(self.pg_port),
                "EXCHANGE_SEARCH_RELAY_INTERVAL_SECONDS": "0.2",
            }
            | settings
        )

    def start(self, args: list[str], log: Path, **settings: str) -> subprocess.Popen[bytes]:
        with log.open("wb") as output:
            return subprocess.Popen(
                [EXCHANGE, *args], cwd=self.root, env=self.env(**settings), stdout=output, stderr=subprocess.STDOUT
            )


@pytest.fixture(scope="module")
def workspace() -> Iterator[Workspace]:
    with tempfile.TemporaryDirectory(prefix="exchange-test-shutdown-") as tmp:
        space = Workspace(Path(tmp), free_port())
        try:
            yield space
        finally:
            EmbeddedPostgres(space.pg_data, space.pg_port).stop()  # only if a test left it running


def postmaster_running(space: Workspace) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        listening = probe.connect_ex(("127.0.0.1", space.pg_port)) == 0
    return listening or (space.pg_data / "postmaster.pid").exists()


def wait_for(condition: object, log: Path, process: subprocess.Popen[bytes], *, seconds: float = 120) -> None:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"exited with {process.returncode}:\n{log.read_text()}"
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not ready within {seconds} s:\n{log.read_text()}")


def terminate(process: subprocess.Popen[bytes]) -> tuple[int, float]:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    return code, time.monotonic() - started


def healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def scrape(port: int) -> str:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.TransportError:
        return ""


def test_serve_stops_on_sigterm_and_stops_its_embedded_postgres(workspace: Workspace, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    server = workspace.start(["serve"], log, EXCHANGE_PORT=str(port))
    wait_for(lambda: healthy(port), log, server)
    assert postmaster_running(workspace)

    code, seconds = terminate(server)

    assert code == 0, log.read_text()
    assert seconds < GRACE_SECONDS
    assert not postmaster_running(workspace), log.read_text()
    assert "worker.stopped" in log.read_text()  # the in-process worker loop finished too


def test_worker_stops_on_sigterm_after_its_pass_and_stops_its_embedded_postgres(
    workspace: Workspace, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    metrics_port = free_port()
    worker = workspace.start(["worker"], log, EXCHANGE_WORKER_METRICS_PORT=str(metrics_port))
    wait_for(lambda: "worker.started" in log.read_text(), log, worker)
    time.sleep(1)  # into its loop: relay passes every 0.2 s
    # The worker serves its own metrics: its passes, which the API's /metrics cannot see.
    wait_for(lambda: 'exchange_worker_last_pass_timestamp_seconds{loop="timers"}' in scrape(metrics_port), log, worker)

    code, seconds = terminate(worker)

    assert code == 0, log.read_text()
    assert seconds < GRACE_SECONDS
    assert "worker.stopped" in log.read_text()
    assert not postmaster_running(workspace), log.read_text()
