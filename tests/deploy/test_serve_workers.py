"""`exchange serve --workers N`: each worker listens on a socket of its own (exchange/serving.py), so that a burst of
connections is spread over the workers instead of landing on whichever woke first; and a port already taken stops
the server at once instead of starting workers that cannot listen."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from uvicorn.config import STARTUP_FAILURE

from exchange.db import free_port
from tests.deploy.cli import EXCHANGE, clean_env

CONNECTIONS = 40


def _serve(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [EXCHANGE, "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port), "--no-worker"],
            env=clean_env(EXCHANGE_DATABASE_URL=database_url, EXCHANGE_LOG_LEVEL="WARNING"),
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _workers(server: subprocess.Popen[bytes]) -> list[psutil.Process]:
    children = psutil.Process(server.pid).children()
    return [p for p in children if "resource_tracker" not in " ".join(p.cmdline())]


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    port = free_port()
    log = tmp_path / "serve.log"
    process = _serve(database_url, port, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"not serving within 60 s:\n{log.read_text()}"
            try:
                if (
                    httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
                    and len(_workers(process)) == 2
                ):
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield process, port, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_burst_of_connections_is_spread_over_the_workers(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    process, port, log = server
    # Opened at once and kept open, as a load balancer's pool or a benchmark's clients open them, while one worker
    # is busy (stopped here: as in a long request, it does not return to accept). With one shared socket the other
    # worker took the whole burst, and kept it for as long as the connections stay open.
    busy = _workers(process)[0]
    busy.suspend()
    try:
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
        time.sleep(0.5)
    finally:
        busy.resume()
    try:
        for client in clients:  # each is served (accepted and answered) before it is counted
            client.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        for client in clients:
            client.settimeout(10)
            assert client.recv(64).startswith(b"HTTP/1.1 200"), log.read_text()
        held = {
            worker.pid: sum(
                1
                for connection in worker.net_connections(kind="tcp")
                if connection.status == psutil.CONN_ESTABLISHED and connection.laddr and connection.laddr.port == port
            )
            for worker in _workers(process)
        }
    finally:
        for client in clients:
            client.close()

    assert sum(held.values()) == CONNECTIONS, held
    # The kernel hashes each connection to a worker's socket: an even spread, give or take; the busy worker's wait
    # in its own socket's queue until it accepts them.
    assert all(count >= CONNECTIONS // 5 for count in held.values()), held


def test_a_port_already_taken_stops_the_server_at_once(database_url: str, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        log = tmp_path / "serve.log"
        process = _serve(database_url, port, log)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    assert code == STARTUP_FAILURE, log.read_text()
    assert f"Cannot listen on 127.0.0.1:{port}" in log.read_text()


def test_the_workers_answer_without_a_server_header_and_a_scrape_sums_both_workers_counts(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    """As served (exchange/serving.py uvicorn_options): a `date`, no `server: uvicorn`. Each worker writes its metrics
    to the shared directory once a second (api/observability/buffered_samples.py): a scrape a little later, answered
    by either worker, counts every operation both answered, exactly."""
    _process, port, log = server
    operations = 0
    pids: set[int] = set()
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for _ in range(8)]  # over both workers
    try:
        for _ in range(5):
            for client in clients:
                response = client.post("/graphql", json={"query": "query BufferedProbe { __typename }"})
                assert response.status_code == 200, log.read_text()
                assert response.json() == {"data": {"__typename": "Query"}}
                assert "server" not in response.headers and "date" in response.headers
                operations += 1
        for worker in _workers(_process):
            if any(c.laddr and c.laddr.port == port and c.raddr for c in worker.net_connections(kind="tcp")):
                pids.add(worker.pid)
    finally:
        for client in clients:
            client.close()
    assert len(pids) == 2, "the clients' connections all went to one worker"

    time.sleep(1.5)  # each worker's flush, at most a second away
    for _ in range(4):  # whichever worker answers each scrape
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        counted = [
            float(line.rsplit(" ", 1)[1])
            for line in scraped.splitlines()
            if line.startswith('exchange_graphql_requests_total{operation="BufferedProbe"')
        ]
        assert sum(counted) == operations, scraped
