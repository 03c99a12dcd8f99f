# ruff: noqa: RUF001
"""The escrow account buyers wire the money to (EXCHANGE_BANK_BENEFICIARY, EXCHANGE_BANK_DETAILS): checked at start,
required in production, a marked Russian demo account in development."""

from __future__ import annotations

import json
import subprocess

import pytest
from pydantic import ValidationError

from exchange.bootstrap import payments
from exchange.settings import DEMO_MARK, Environment, Settings
from tests.deploy.cli import EXCHANGE, clean_env
from tests.legal_samples import ESCROW_ACCOUNT, ESCROW_BENEFICIARY, PRODUCTION_ESCROW


def test_development_without_an_account_shows_the_demo_one_marked_in_russian() -> None:
    settings = Settings(env=Environment.development)
    assert settings.escrow_bank_is_demo
    assert settings.escrow_bank_details.startswith(f"{DEMO_MARK}: ")
    assert "БИК 044525999" in settings.escrow_bank_details
    assert "(демо)" in settings.escrow_beneficiary
    # What a buyer is shown: the funding instructions carry the demo mark, and say it is a demo.
    funding = payments(settings).provider.funding_instructions(
        payment_reference="CPX-1", currency="RUB", amount_due_minor=100
    )
    assert funding.demo is True
    assert funding.bank_details.startswith("ДЕМО-РЕКВИЗИТЫ, НЕ ДЛЯ ОПЛАТЫ")
    assert "Account" not in funding.bank_details and "set EXCHANGE" not in funding.bank_details


def test_a_configured_account_is_printed_as_a_russian_bank_reads_it() -> None:
    settings = Settings(env=Environment.production, **PRODUCTION_ESCROW)
    assert not settings.escrow_bank_is_demo
    assert settings.escrow_beneficiary == ESCROW_BENEFICIARY
    assert settings.escrow_bank_details == (
        f"АО «ТБанк», БИК 044525974, к/с 30101810145250000974, р/с {ESCROW_ACCOUNT['account']}; "
        f"получатель: ИНН {ESCROW_ACCOUNT['inn']}, КПП 780101001"
    )
    funding = payments(settings).provider.funding_instructions(
        payment_reference="CPX-1", currency="RUB", amount_due_minor=100
    )
    assert (funding.demo, funding.beneficiary) == (False, ESCROW_BENEFICIARY)


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({}, "EXCHANGE_BANK_BENEFICIARY and EXCHANGE_BANK_DETAILS are not set"),
        ({"bank_details": ESCROW_ACCOUNT}, "EXCHANGE_BANK_BENEFICIARY is not set"),
        ({"bank_beneficiary": ESCROW_BENEFICIARY}, "EXCHANGE_BANK_DETAILS is not set"),
        ({"bank_beneficiary": "  ", "bank_details": ESCROW_ACCOUNT}, "EXCHANGE_BANK_BENEFICIARY is not set"),
    ],
)
def test_production_refuses_to_start_without_the_escrow_account(given: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        Settings(env=Environment.production, **given)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"bik": "123456789"}, "EXCHANGE_BANK_DETAILS.bik: a Russian bank's БИК starts with 04"),
        (
            {"account": ESCROW_ACCOUNT["account"][:-1] + "1"},
            "EXCHANGE_BANK_DETAILS.account: the account does not match",
        ),
        ({"correspondent_account": "30101810400000000225"}, "EXCHANGE_BANK_DETAILS.correspondent_account"),
        ({"inn": "7800000000"}, "EXCHANGE_BANK_DETAILS.inn: the ИНН's check digits do not match"),
        ({"kpp": None}, "EXCHANGE_BANK_DETAILS.kpp: a legal entity states its КПП"),
    ],
)
def test_a_mistyped_account_stops_the_start_naming_the_part(change: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        Settings(bank_beneficiary=ESCROW_BENEFICIARY, bank_details=ESCROW_ACCOUNT | change)


def test_the_environment_gives_the_account_as_json_and_empty_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXCHANGE_BANK_BENEFICIARY", ESCROW_BENEFICIARY)
    monkeypatch.setenv("EXCHANGE_BANK_DETAILS", json.dumps(ESCROW_ACCOUNT, ensure_ascii=False))
    assert Settings(_env_file=None).bank_details is not None
    # docker-compose passes an unset variable as "": development then shows the demo account.
    monkeypatch.setenv("EXCHANGE_BANK_DETAILS", "")
    assert Settings(_env_file=None).escrow_bank_is_demo
    monkeypatch.setenv("EXCHANGE_BANK_DETAILS", "Сбербанк, р/с 40702810…")
    with pytest.raises(ValidationError, match="EXCHANGE_BANK_DETAILS is a JSON object"):
        Settings(_env_file=None)


def test_the_cli_refuses_to_start_in_production_without_the_account_in_one_line() -> None:
    result = subprocess.run(
        [EXCHANGE, "migrate"],
        env=clean_env(EXCHANGE_ENV="production", EXCHANGE_DATABASE_URL="postgres://exchange:Vq8xk2@127.0.0.1:1/x"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "exchange: EXCHANGE_BANK_BENEFICIARY and EXCHANGE_BANK_DETAILS are not set: buyers pay escrow into that "
        "account; set the escrow account's holder and bank details for production (README, Configuration)"
    ]
