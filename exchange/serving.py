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
