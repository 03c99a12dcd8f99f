"""What an operator gets wrong ends in one line on stderr and a non-zero exit, never a traceback.

`main` runs its own event loops (asyncio.run): the tests that reach the database call it in a thread, as
tests/integration/test_match_cli.py does, so that the session's loop stays the main thread's current loop.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from importlib import metadata

import pytest
from sqlalchemy import make_url
from strawberry.relay import to_base64

from exchange.cli import main
from exchange.db import free_port
from exchange.settings import Settings
from tests.deploy.cli import EXCHANGE, clean_env


def test_version_prints_the_installed_distribution_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])

    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"exchange {metadata.version('contract-exchange')}\n"


async def test_an_unreachable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", f"postgresql+asyncpg://exchange:secret@127.0.0.1:{port}/exchange")

    code = await asyncio.to_thread(main, ["migrate"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        f"exchange: cannot reach the database at postgresql+asyncpg://exchange:***@127.0.0.1:{port}/exchange: "
        f"[Errno 111] Connect call failed ('127.0.0.1', {port})"
    ]


async def test_a_missing_database_on_a_reachable_server_is_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = make_url(database_url).set(database="no_such_database")
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", missing.render_as_string(hide_password=False))

    code = await asyncio.to_thread(main, ["worker"])

    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"exchange: cannot reach the database at {missing.render_as_string(hide_password=True)}: "
        'database "no_such_database" does not exist'
    ]


def test_postgres_urls_as_hosting_platforms_give_them_are_read_as_asyncpg() -> None:
    for given in ("postgres://u:p@db:5432/x", "postgresql://u:p@db:5432/x", "postgresql+asyncpg://u:p@db:5432/x"):
        assert Settings(database_url=given).database_url == "postgresql+asyncpg://u:p@db:5432/x"


def test_migrate_accepts_a_postgres_url(database_url: str) -> None:
    url = database_url.replace("postgresql+asyncpg://", "postgres://", 1)

    result = subprocess.run(
        [EXCHANGE, "migrate"], env=clean_env(EXCHANGE_DATABASE_URL=url), capture_output=True, text=True, timeout=60
    )

    # At head already: Alembic's routine INFO lines (plugins, DDL mode) stay quiet when nothing runs.
    assert (result.returncode, result.stdout, result.stderr) == (0, "database is at the latest migration\n", "")


def test_another_driver_in_the_url_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", "mysql://u:p@db:3306/x")

    code = main(["migrate"])

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        "exchange: EXCHANGE_DATABASE_URL: mysql:// is not supported: use postgresql+asyncpg:// (or postgres://, "
        "postgresql://)"
    ]


def test_a_relay_id_given_to_match_allocate_is_refused_in_one_line_naming_the_uuid(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # No database is needed to refuse it: nothing listens at this URL.
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", f"postgresql+asyncpg://u@127.0.0.1:{free_port()}/x")
    order_id = uuid.uuid4()
    relay_id = to_base64("Order", str(order_id))

    code = main(["match", "allocate", "--order", relay_id])

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"refused: --order takes an order's UUID; '{relay_id}' is not one "
        f"(it is the API's id of Order {order_id}: pass that UUID)"
    ]
