"""Each user's language: chosen at sign-up (the web app sends its own), shown on `me`, changed by setMyLanguage
(refused for the signed-out, and an unknown language is refused by the schema: nothing changes either way), and the
one their notification e-mails are written in when the outbox worker sends them."""

from __future__ import annotations

import itertools

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.identity.models import User
from exchange.notification_mail import FOOTERS
from exchange.worker import relay_account_emails_once, relay_notification_emails_once
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid
from tests.api.notifications import RecordingSender
from tests.clock import FakeClock
from tests.legal_samples import legal_id

SIGN_UP = """
mutation($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on AuthPayload { token user { id email language } organisation { id } }
    ... on UserError { code field }
  }
}
"""
ME = "{ me { id language } }"
SET_LANGUAGE = """
mutation($language: Language!) {
  setMyLanguage(language: $language) {
    __typename
    ... on SetMyLanguageSuccess { user { id language } }
    ... on UserError { code message field }
  }
}
"""

_seed = itertools.count(9_100_000)


async def sign_up_buyer(gql: GraphQL, language: str | None = None) -> tuple[Party, str]:
    n = next(_seed)
    email = f"lang{n}@example.com"
    values: dict[str, object] = {
        "email": email,
        "password": "correct horse battery",
        "fullName": f"Buyer {n}",
        "organisation": {"name": f"Buyer {n}", "legalId": legal_id("77", n), "region": "RU-MOW", "kind": "BUYER"},
    }
    if language is not None:
        values["language"] = language
    result = (await gql(SIGN_UP, {"input": values}))["signUp"]
    assert result["__typename"] == "AuthPayload", result
    party = Party(result["token"], result["user"]["id"], result["organisation"]["id"], email)
    return party, result["user"]["language"]


async def stored_language(engine: AsyncEngine, email: str) -> str:
    async with engine.connect() as conn:
        return str(await conn.scalar(select(User.language).where(User.email == email)))


async def test_sign_up_keeps_the_language_sent_and_russian_when_none_is(gql: GraphQL, engine: AsyncEngine) -> None:
    english, said_english = await sign_up_buyer(gql, "EN")
    russian, said_russian = await sign_up_buyer(gql)

    assert (said_english, said_russian) == ("EN", "RU")
    assert (await gql(ME, token=english.token))["me"]["language"] == "EN"
    assert (await gql(ME, token=russian.token))["me"]["language"] == "RU"
    assert await stored_language(engine, english.email) == "en"


async def test_set_my_language_saves_it_for_the_signed_in_user_only(gql: GraphQL, engine: AsyncEngine) -> None:
    chooser, _ = await sign_up_buyer(gql)
    bystander, _ = await sign_up_buyer(gql)

    to_english = (await gql(SET_LANGUAGE, {"language": "EN"}, token=chooser.token))["setMyLanguage"]
    after = (await gql(ME, token=chooser.token))["me"]
    back = (await gql(SET_LANGUAGE, {"language": "RU"}, token=chooser.token))["setMyLanguage"]

    assert to_english == {"__typename": "SetMyLanguageSuccess", "user": {"id": chooser.user_id, "language": "EN"}}
    assert after == {"id": chooser.user_id, "language": "EN"}
    assert back["user"]["language"] == "RU"
    assert await stored_language(engine, chooser.email) == "ru"
    assert (await gql(ME, token=bystander.token))["me"]["language"] == "RU"


async def test_signed_out_setting_a_language_is_refused_and_changes_nothing(gql: GraphQL, engine: AsyncEngine) -> None:
    party, _ = await sign_up_buyer(gql, "EN")
    async with engine.connect() as conn:
        before = (await conn.execute(select(User.id, User.language).order_by(User.id))).all()

    refused = (await gql(SET_LANGUAGE, {"language": "RU"}))["setMyLanguage"]
    bad_token = await gql(SET_LANGUAGE, {"language": "RU"}, token="not-a-token")

    async with engine.connect() as conn:
        after = (await conn.execute(select(User.id, User.language).order_by(User.id))).all()
    assert refused["__typename"] == "NotAuthenticatedError"
    assert refused["code"] == "UNAUTHENTICATED"
    assert bad_token["setMyLanguage"]["__typename"] == "NotAuthenticatedError"
    assert after == before
    assert await stored_language(engine, party.email) == "en"


async def test_an_unknown_language_is_refused_by_the_schema_and_changes_nothing(
    gql: GraphQL, engine: AsyncEngine
) -> None:
    party, _ = await sign_up_buyer(gql, "EN")

    answer = await gql.raw(SET_LANGUAGE, {"language": "DE"}, token=party.token)
    lowercase = await gql.raw(SET_LANGUAGE, {"language": "ru"}, token=party.token)
    sign_up = await gql.raw(
        SIGN_UP,
        {"input": {"email": "de@example.com", "password": "correct horse battery", "fullName": "D", "language": "DE"}},
    )

    assert answer["data"] is None and "Language" in answer["errors"][0]["message"]
    assert lowercase["data"] is None
    assert sign_up["data"] is None
    assert await stored_language(engine, party.email) == "en"
    async with engine.connect() as conn:
        assert await conn.scalar(select(User.id).where(User.email == "de@example.com")) is None


async def test_the_outbox_worker_mails_each_recipient_in_their_language_as_it_is_when_sending(
    gql: GraphQL, clock: FakeClock, deps: AppDeps
) -> None:
    english, _ = await sign_up_buyer(gql, "EN")
    russian, _ = await sign_up_buyer(gql)
    switched, _ = await sign_up_buyer(gql)  # Russian when the bid arrives, English when the mail goes
    maker = await make_manufacturer(gql, clock)
    for party in (english, russian, switched):
        await place_bid(gql, maker, await create_order(gql, party, clock, title=f"Вал {party.email}"), clock)
    await gql(SET_LANGUAGE, {"language": "EN"}, token=switched.token)
    deps.mailer = sender = RecordingSender("exchange@example.com")

    relayed = await relay_notification_emails_once(deps)

    assert (relayed.sent, relayed.failed) == (3, 0)
    mails = {m.to: (m.subject, m.body) for m in sender.sent}
    assert mails[english.email] == (
        f"New bid on “Вал {english.email}”",
        "RUB\u00a0150,000, lead time 30 days." + FOOTERS["en"],
    )
    assert mails[switched.email][0] == f"New bid on “Вал {switched.email}”"
    assert mails[russian.email] == (
        f"Новое предложение по заказу «Вал {russian.email}»",
        "150\u00a0000\u00a0₽, срок изготовления — 30 дней." + FOOTERS["ru"],
    )


async def test_account_emails_come_in_both_languages_with_the_recipients_first(gql: GraphQL, deps: AppDeps) -> None:
    english, _ = await sign_up_buyer(gql, "EN")
    russian, _ = await sign_up_buyer(gql)
    deps.mailer = sender = RecordingSender("exchange@example.com")

    relayed = await relay_account_emails_once(deps)

    assert relayed.sent == 2  # each sign-up's verification link
    mails = {m.to: m for m in sender.sent}
    assert mails[english.email].subject == "Confirm your e-mail address / Подтвердите адрес электронной почты"
    assert mails[english.email].body.startswith("To confirm this address")
    assert "Чтобы подтвердить этот адрес" in mails[english.email].body
    assert mails[russian.email].subject == "Подтвердите адрес электронной почты / Confirm your e-mail address"
    assert mails[russian.email].body.startswith("Чтобы подтвердить этот адрес")
