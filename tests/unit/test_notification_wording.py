"""One wording for a notification, in the web app and in the e-mail: every case of
web/src/notifications/wording.cases.json (a notification's params as the API sends them, and the sentences the web
app words them in, in Russian and in English; web/src/notifications/wording.test.ts checks the web app against the
same table) is worded by the e-mail in both languages, and must read the same. The e-mail says what zone its instants
are in (the web app shows the reader's own zone, Moscow in its tests), and may break a line where the screen has a
space: those two are all that may differ."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from domain.money import CURRENCY_EXPONENTS
from domain.notifications import params as n
from exchange.notification_mail import ZONE, word

CASES_FILE = Path(__file__).resolve().parents[2] / "web/src/notifications/wording.cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text())


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def stored_params(graphql: dict[str, Any]) -> dict[str, Any]:
    """The params as the API sends them (camelCase, enum names, Money in major units) back in their stored form
    (domain/notifications/params.py): the inverse of api/notifications/params.py, by rule, not per type."""
    shape = _snake(graphql["__typename"].removesuffix("Notice"))
    stored: dict[str, Any] = {"shape": shape}
    for key, value in graphql.items():
        if key == "__typename":
            continue
        if isinstance(value, dict) and set(value) == {"amount", "currency"}:
            exponent = CURRENCY_EXPONENTS[value["currency"]]
            value = {"minor_units": int(Decimal(value["amount"]).scaleb(exponent)), "currency": value["currency"]}
        elif isinstance(value, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", value):
            value = value.lower()  # an enum's name; its value is the lower-cased name
        stored[_snake(key)] = value
    return stored


def as_read(text: str, language: str) -> str:
    return re.sub(r"\s", " ", text.replace(ZONE[language], ""))


def test_the_table_covers_every_shape() -> None:
    shapes = {stored_params(case["params"])["shape"] for case in CASES}
    assert shapes == set(n.NOTICES)


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['params']['__typename']}" for i, c in enumerate(CASES)])
def test_the_mail_words_each_case_as_the_web_app_does(case: dict[str, Any], language: str) -> None:
    notice = n.notice_of(stored_params(case["params"]))
    assert notice is not None, case["params"]

    subject, body = word(notice, language)

    assert [as_read(subject, language), as_read(body, language)] == [as_read(s, language) for s in case[language]]


def test_instants_in_the_mail_say_their_zone() -> None:
    case = next(c for c in CASES if c["params"]["__typename"] == "BiddingClosesSoonNotice")
    notice = n.notice_of(stored_params(case["params"]))
    assert notice is not None

    assert word(notice, "ru")[1].endswith("14:00" + ZONE["ru"] + ".")
    assert ZONE["ru"].strip() == "(\u041c\u0421\u041a)"  # Moscow time, abbreviated in Russian
    assert word(notice, "en")[1].endswith("14:00 (Moscow time).")
