"""`exchange serve --workers N`: uvicorn's supervisor (health checks, restarts, signals), with a listening socket of
each worker's own on the same port (SO_REUSEPORT), so that the kernel spreads new connections evenly over them.

uvicorn's own way binds one socket in the parent and shares it: every idle worker wakes on a new connection and the
first to run accepts every connection then waiting (asyncio's accept loop takes up to the backlog at once). A burst
of connections — a load balancer's pool, a client opening ten at once — then lands on one worker while the others
idle: the order board at 10 connections served 662-676 req/s with 2 workers when all ten went to one, ~980 when they
were split (bench/README.md, session 30). With a socket per worker the kernel hashes each connection to one of them.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors import multiprocess

from exchange.settings import Settings

logger = logging.getLogger("uvicorn.error")

# Linux (and the BSDs) balance connections over sockets bound with it; elsewhere uvicorn's shared socket is kept.
BALANCED = hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


def listening_socket(config: Config, *, reuse_port: bool) -> socket.socket:
    """A TCP socket bound to the config's host and port and listening."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((config.host, config.port))
        sock.listen(config.backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class _OwnSocketProcess(multiprocess.Process):
    """A worker that binds its own SO_REUSEPORT socket instead of serving the parent's (it is given none)."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # runs in the worker process
        try:
            sock = listening_socket(self.config, reuse_port=True)
        except OSError as error:
            logger.error("Cannot listen on %s:%s: %s", self.config.host, self.config.port, error)
            # The supervisor stops instead of restarting a worker that would fail the same way again.
            sys.exit(STARTUP_FAILURE)
        super().target([sock])


@contextmanager
def _workers_bind_their_own() -> Iterator[None]:
    # uvicorn's supervisor makes its workers from its module's `Process`; in this process, which only supervises,
    # it makes ours while the supervisor runs.
    original = multiprocess.Process
    multiprocess.Process = _OwnSocketProcess  # type: ignore[misc]
    try:
        yield
    finally:
        multiprocess.Process = original  # type: ignore[misc]


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `exchange serve` runs uvicorn, beyond the app, the address and the workers (benchmarks serve the same way).
    uvicorn picks uvloop and httptools itself (its `auto`: both are installed)."""
    return {
        "log_level": settings.log_level.lower(),
        # uvicorn's loggers propagate to the root handler configure_logging installs: JSON in production, with the
        # request id on the access line (logged at INFO: off at WARNING).
        "log_config": None,
        # The client's address from X-Forwarded-For, when the connection comes from a trusted proxy
        # (--forwarded-allow-ips / FORWARDED_ALLOW_IPS; uvicorn's default: 127.0.0.1).
        "proxy_headers": True,
        # No `server: uvicorn` on every response: it tells a client nothing it needs (and an attacker which server
        # to try), and uvicorn's header loop costs each response ~50 Python opcodes a header. `date` stays (HTTP
        # asks an origin server with a clock for it).
        "server_header": False,
        # A websocket frame over the body limit is refused by uvicorn before it is assembled (api/limits.py checks
        # each message too).
        "ws_max_size": settings.max_body_bytes,
        "timeout_keep_alive": settings.http_keep_alive_seconds,
    }


def run_workers(app: str, **options: Any) -> None:
    """uvicorn.run(app, workers=N, ...) with a socket per worker (where the platform balances them)."""
    import uvicorn

    config = uvicorn.Config(app, **options)
    if not BALANCED or config.workers <= 1 or config.should_reload or config.uds or config.fd is not None:
        uvicorn.run(app, **options)
        return
    # The port must be free: a socket bound without SO_REUSEPORT fails if anything (another server of ours too)
    # holds it, where the workers' own sockets would silently share it.
    try:
        listening_socket(config, reuse_port=False).close()
    except OSError as error:
        logger.error("Cannot listen on %s:%s: %s", config.host, config.port, error)
        sys.exit(STARTUP_FAILURE)
    with _workers_bind_their_own():
        multiprocess.Multiprocess(config, sockets=[]).run()
