"""docker-compose.yml ships no usable secret, and production refuses to start with a placeholder one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from exchange.settings import Environment, Settings
from tests.deploy.cli import EXCHANGE, clean_env
from tests.legal_samples import PRODUCTION_ESCROW

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SECRETS = ("POSTGRES_PASSWORD", "MEILI_MASTER_KEY", "EXCHANGE_METRICS_TOKEN")


def test_compose_has_no_default_secret_and_requires_each_one() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"(:?[-?=+])?[^}]*\}", text)
        assert uses, name
        # ${NAME:?message}: compose stops with the message when it is unset; never ${NAME:-default}.
        assert set(uses) == {":?"}, f"{name} has a default in docker-compose.yml"


def test_compose_waits_for_a_healthy_meilisearch_and_reindexes_once_on_postgres_18() -> None:
    services = COMPOSE["services"]
    assert services["postgres"]["image"] == "postgres:18"
    assert "healthcheck" in services["meilisearch"]
    for name in ("api", "worker", "reindex"):
        assert services[name]["depends_on"]["meilisearch"] == {"condition": "service_healthy"}, name
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}, name
    assert services["reindex"]["command"] == ["exchange", "search", "reindex"]
    assert services["reindex"]["restart"] == "no"
    assert "/health/ready" in " ".join(services["api"]["healthcheck"]["test"])


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("meili_key", "change-me-to-a-16-byte-or-longer-key", "EXCHANGE_MEILI_KEY"),
        ("database_url", "postgresql+asyncpg://exchange:change-me@db:5432/exchange", "EXCHANGE_DATABASE_URL"),
        ("metrics_token", "placeholder", "EXCHANGE_METRICS_TOKEN"),
        ("stripe_webhook_secret", "changeme", "EXCHANGE_STRIPE_WEBHOOK_SECRET"),
    ],
)
def test_production_refuses_a_placeholder_secret(setting: str, value: str, named: str) -> None:
    given: dict[str, Any] = {setting: value}
    with pytest.raises(ValidationError, match=named):
        Settings(env=Environment.production, **PRODUCTION_ESCROW, **given)
    # Development takes it (the embedded set-up has no secrets to protect).
    assert Settings(env=Environment.development, **given).env == Environment.development


def test_real_secrets_pass_in_production() -> None:
    settings = Settings(
        env=Environment.production,
        database_url="postgresql+asyncpg://exchange:Vq8xk2-P7mwz@db:5432/exchange",
        meili_key="a4c1e0f9b27d43e6a8c5",
        metrics_token="Zt6c1yLw0oQe",
        **PRODUCTION_ESCROW,
    )
    assert settings.production


def test_the_cli_refuses_to_start_in_production_with_a_placeholder_in_one_line() -> None:
    result = subprocess.run(
        [EXCHANGE, "migrate"],
        env=clean_env(
            EXCHANGE_ENV="production",
            EXCHANGE_DATABASE_URL="postgres://exchange:change-me@127.0.0.1:1/exchange",
            EXCHANGE_MEILI_KEY="change-me-to-a-16-byte-or-longer-key",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "exchange: EXCHANGE_MEILI_KEY, EXCHANGE_DATABASE_URL (its password) still hold a placeholder secret; "
        "set real ones for production"
    ]
