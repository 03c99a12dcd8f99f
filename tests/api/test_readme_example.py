"""The README is the user's door: its worked example must run verbatim against a live `exchange serve`,
and it must document every setting."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.db import free_port
from exchange.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def worked_example() -> str:
    match = re.search(r"<!-- worked-example -->\s*```bash\n(.*?)```\s*<!-- /worked-example -->", README, re.S)
    assert match, "README lost its worked-example block"
    return match.group(1)


@pytest.fixture
def live_server(database_url: str, engine: AsyncEngine) -> Iterator[str]:
    """`exchange serve` in a subprocess, on a free port, against the test database."""
    port = free_port()
    env = {**os.environ, "EXCHANGE_DATABASE_URL": database_url, "EXCHANGE_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "exchange.cli", "serve", "--port", str(port), "--no-worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"exchange serve did not come up:\n{output}")
            time.sleep(0.2)
        yield f"{base}/graphql"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_worked_example_runs_verbatim(live_server: str) -> None:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", worked_example()],
        env={**os.environ, "API": live_server},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert '"status":"PENDING_FUNDING"' in last, result.stdout
    assert '"total":{"amount":"160000.00","currency":"RUB"}' in last
    assert '"order":{"status":"AWARDED"}' in last
    assert "UserError" not in result.stdout and '"errors"' not in result.stdout, result.stdout
    # the new manufacturer fits the order (process, material, quantity, ISO 9001, 60 h a week listed), explained
    [recommended] = [json.loads(line) for line in result.stdout.splitlines() if '"recommendedManufacturers"' in line]
    matches = recommended["data"]["node"]["recommendedManufacturers"]["matches"]
    ural = [m for m in matches if m["manufacturer"]["name"] == "Ural Precision"]
    assert ural and {e["factor"] for e in ural[0]["explanations"]} >= {"capacity_slack", "price", "region"}, matches


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"`(EXCHANGE_[A-Z0-9_]+)`", README))
    settings = {f"EXCHANGE_{name.upper()}" for name in Settings.model_fields}

    assert settings - documented == set()
    assert documented - settings == set()
