"""Test tiers share one real PostgreSQL, built by running the Alembic migrations.

EXCHANGE_DATABASE_URL (a throwaway database!) is used when set; otherwise an embedded PostgreSQL is
started on a free 127.0.0.1 port in a temporary directory and removed at the end of the session. Under pytest-xdist
(`make test` runs `-n auto`) each worker has its own: its own embedded server, or `<database>_<worker>` on the
configured one. Every test starts from empty tables.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import search.tables  # noqa: F401  (so that the emptying and the migration check include them)
from api.app import create_app
from api.context import AppDeps
from documents.render import TypstRenderer
from domain.files.convert import ConversionLimits
from domain.files.rules import FileLimits
from domain.files.service import FilesConfig
from domain.identity import passwords
from domain.tables import metadata
from domain.taxes.rates import rates_cache
from domain.uow import SessionFactory, UnitOfWork
from exchange.bootstrap import payments
from exchange.db import EmbeddedPostgres, create_engine, create_session_factory, free_port
from exchange.migrate import upgrade
from exchange.settings import Environment, Settings
from search.postgres import PostgresSearchIndex
from tests.clock import FakeClock

# Hashing strength is not under test; speed is.
passwords.configure(time_cost=1, memory_cost=1024)

# Every test client calls from one address, and a test may sign up or sign in more people than one address is
# allowed to in an hour: the per-address limits are raised for the suite (tests/api/test_account_protection.py
# sets its own figures and tests them). The per-account and per-recipient limits keep their defaults.
os.environ.setdefault("EXCHANGE_SIGN_UPS_PER_ADDRESS_PER_HOUR", "100000")
os.environ.setdefault("EXCHANGE_SIGN_IN_ATTEMPTS_PER_ADDRESS", "100000")


def _worker() -> str:
    """The pytest-xdist worker running this process ("gw0", "gw1", …), or "main" without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


async def _fresh_database(url: str, name: str) -> str:
    """A new, empty database on the server `url` points to (one per xdist worker on a configured server)."""
    import asyncpg

    parsed = make_url(url)
    conn = await asyncpg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password, database=parsed.database
    )
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """Each pytest process (each xdist worker) has a database of its own, built by running the migrations: its own
    embedded PostgreSQL (about 2 s to start and migrate), or, on a configured server, `<database>_<worker>`."""
    configured = Settings().database_url
    if configured:
        if _worker() != "main":
            configured = asyncio.run(_fresh_database(configured, f"{make_url(configured).database}_{_worker()}"))
        upgrade(configured)
        yield configured
        return
    with tempfile.TemporaryDirectory(prefix=f"exchange-test-pg-{_worker()}-") as tmp:
        server = EmbeddedPostgres(
            Path(tmp) / "pg",
            free_port(),
            settings={"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
        )
        url = server.start()
        try:
            upgrade(url)
            yield url
        finally:
            server.destroy()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=5, max_overflow=10)
    yield engine
    await engine.dispose()


# Reference data the migrations seed (the VAT rates) stays: the application cannot work without it.
REFERENCE_TABLES = frozenset({"vat_rate"})
# Emptying the tables before every test: DELETE, children before parents, costs ~2 ms when the test before left a few
# rows, where TRUNCATE of every table costs ~45 ms (a new file for each table and index): a minute over the suite. A
# table holding more than BIG_TABLE_ROWS (a seed's) is truncated instead, with what refers to it, so that no test after
# it scans dead rows. The identity sequences start again, as TRUNCATE … RESTART IDENTITY made them.
BIG_TABLE_ROWS = 2000
_CHILDREN_FIRST = [table.name for table in reversed(metadata.sorted_tables) if table.name not in REFERENCE_TABLES]
_NAMES = "ARRAY[" + ", ".join(f"'{name}'" for name in _CHILDREN_FIRST) + "]"
EMPTY_TABLES = f"""DO $$
DECLARE
  table_name text;
  filled boolean;
  big text[] := '{{}}';
BEGIN
  FOREACH table_name IN ARRAY {_NAMES} LOOP
    EXECUTE format('SELECT EXISTS (SELECT FROM %I OFFSET {BIG_TABLE_ROWS})', table_name) INTO filled;
    IF filled THEN
      big := big || table_name;
    END IF;
  END LOOP;
  IF cardinality(big) > 0 THEN
    EXECUTE (SELECT 'TRUNCATE ' || string_agg(quote_ident(name), ', ') || ' CASCADE' FROM unnest(big) AS name);
  END IF;
  FOREACH table_name IN ARRAY {_NAMES} LOOP
    EXECUTE format('DELETE FROM %I', table_name);
  END LOOP;
  PERFORM setval(d.objid::regclass, s.seqstart, false)
  FROM pg_depend AS d JOIN pg_sequence AS s ON s.seqrelid = d.objid
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    AND d.refobjid = ANY ({_NAMES}::regclass[]);
END $$"""


async def empty_all_tables(conn: AsyncConnection) -> None:
    """Every table but the reference data, emptied (before each test; between a property test's examples)."""
    await conn.exec_driver_sql(EMPTY_TABLES)


@pytest.fixture(autouse=True)
async def empty_tables(request: pytest.FixtureRequest) -> None:
    if "engine" not in request.fixturenames:
        return
    engine: AsyncEngine = request.getfixturevalue("engine")
    async with engine.begin() as conn:
        await empty_all_tables(conn)


@pytest.fixture(scope="session", autouse=True)
def rates_copy_kept_for_the_session() -> Iterator[None]:
    """Statement counts must not depend on how slow the machine is: a copy of the VAT rates that expired between two
    counted requests would add a read to one of them. tests/integration/test_vat_rates_cache.py tests the minute
    with a cache of its own, and tests/api/test_bench_queries.py the read after the copy is forgotten."""
    ttl = rates_cache.ttl_seconds
    rates_cache.ttl_seconds = float("inf")
    yield
    rates_cache.ttl_seconds = ttl


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> SessionFactory:
    return create_session_factory(engine)


@pytest.fixture
def uow(session_factory: SessionFactory, clock: FakeClock) -> UnitOfWork:
    return UnitOfWork(session_factory, clock)


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test)


@pytest.fixture
def files_config(settings: Settings, tmp_path: Path) -> FilesConfig:
    """Files on the local filesystem in the test's directory (tests/api/test_order_files.py runs both backends)."""
    from storage.local import LocalFileStorage

    return files_config_for(settings, LocalFileStorage(tmp_path / "files"))


def files_config_for(settings: Settings, storage: Any) -> FilesConfig:
    return FilesConfig(
        storage=storage,
        limits=FileLimits(
            max_file_bytes=settings.files_max_file_bytes,
            max_order_bytes=settings.files_max_order_bytes,
            max_files_per_order=settings.files_max_per_order,
        ),
        signing_key=b"test signing key",
        url_ttl=timedelta(seconds=settings.files_url_ttl_seconds),
        upload_ttl=timedelta(seconds=settings.files_upload_ttl_seconds),
        analysis_max_bytes=settings.files_analysis_max_bytes,
        conversion=ConversionLimits(
            timeout_seconds=settings.files_conversion_timeout_seconds,
            memory_bytes=settings.files_conversion_memory_bytes,
        ),
        gc_grace=timedelta(hours=settings.files_gc_grace_hours),
    )


@pytest.fixture
def deps(settings: Settings, session_factory: SessionFactory, clock: FakeClock, files_config: FilesConfig) -> AppDeps:
    return AppDeps(
        settings=settings,
        session_factory=session_factory,
        clock=clock,
        payments=payments(settings),
        search=PostgresSearchIndex(session_factory, clock),
        files=files_config,
        documents=TypstRenderer(),
    )


@pytest.fixture
async def client(deps: AppDeps) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(deps)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


@dataclass
class StatementCounter:
    statements: list[str] = field(default_factory=list)
    active: bool = False

    @property
    def count(self) -> int:
        return len(self.statements)

    @contextmanager
    def counting(self) -> Iterator[StatementCounter]:
        self.statements.clear()
        self.active = True
        try:
            yield self
        finally:
            self.active = False


@pytest.fixture
def sql(engine: AsyncEngine) -> Iterator[StatementCounter]:
    """Counts the SQL statements the application sends (not transaction control)."""
    counter = StatementCounter()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if counter.active:
            counter.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    yield counter
    event.remove(engine.sync_engine, "before_cursor_execute", before)


# Files: every test that uses `file_storage` runs on both backends — the local filesystem and S3 (moto in server mode,
# started once per session on 127.0.0.1 and stopped by its PID).


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Any]:
    from tests.storage.moto_server import MotoServer

    server = MotoServer().start()
    try:
        yield server
    finally:
        server.stop()


def s3_storage(server: Any, bucket: str) -> Any:
    from storage.s3 import S3FileStorage
    from tests.storage.moto_server import ACCESS_KEY, REGION, SECRET_KEY

    return S3FileStorage(
        bucket=bucket,
        endpoint_url=server.url,
        region=REGION,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
    )


@pytest.fixture(params=["local", "s3"])
async def file_storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    if request.param == "local":
        from storage.local import LocalFileStorage

        yield LocalFileStorage(tmp_path / "files")
        return
    server = request.getfixturevalue("moto_server")
    server.reset()
    storage = s3_storage(server, "exchange-files")
    await (await storage._s3()).create_bucket(Bucket="exchange-files")
    try:
        yield storage
    finally:
        await storage.close()
