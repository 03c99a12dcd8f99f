"""Accounts protected: sign-in throttling per account and per address (many wrong passwords through the API),
sign-up and account e-mail limits with Retry-After, and e-mail verification and password reset end to end through
the outbox, the worker's relay and a real SMTP server (aiosmtpd) reading the links out of the e-mails."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from exchange.db import free_port
from exchange.mail import SmtpEmailSender
from exchange.settings import Environment, Settings
from exchange.worker import relay_account_emails_once
from tests.api.graphql import GraphQL, sign_up
from tests.clock import FakeClock


@pytest.fixture
def settings() -> Settings:
    return Settings(
        env=Environment.test,
        sign_in_failures_per_account=5,
        sign_in_attempts_per_address=12,
        sign_in_window_minutes=15,
        sign_ups_per_address_per_hour=4,
        account_emails_per_recipient_per_hour=3,
        public_url="https://exchange.example",
    )


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def link(self, to: str, path: str) -> str:
        """The token of the newest link to `path` e-mailed to `to`."""
        bodies = [m.get_content() for m in self.messages if m["To"] == to]
        tokens = re.findall(rf"https://exchange\.example{path}\?token=([A-Za-z0-9_\-]+)", "\n".join(bodies))
        assert tokens, bodies
        return tokens[-1]


@pytest.fixture
async def inbox(deps: AppDeps) -> AsyncIterator[Inbox]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    await asyncio.to_thread(controller.start)
    deps.mailer = SmtpEmailSender(f"smtp://127.0.0.1:{port}", "Exchange <exchange@example.com>", timeout=5)
    try:
        yield handler
    finally:
        await asyncio.to_thread(controller.stop)


SIGN_IN = """mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) {
  __typename ... on AuthPayload { token user { emailVerified } }
  ... on RateLimitedError { code retryAfterSeconds } ... on UserError { code message field } } }"""
SIGN_UP = """mutation($email: String!) { signUp(input: {email: $email, password: "correct horse battery",
  fullName: "Ivan"}) { __typename ... on RateLimitedError { retryAfterSeconds } } }"""
REQUEST_RESET = """mutation($email: String!) { requestPasswordReset(email: $email) {
  __typename ... on RequestPasswordResetSuccess { email } ... on RateLimitedError { retryAfterSeconds }
  ... on UserError { code message field } } }"""
RESET = """mutation($token: String!, $password: String!) { resetPassword(token: $token, newPassword: $password) {
  __typename ... on ResetPasswordSuccess { email } ... on UserError { code message field } } }"""
VERIFY = """mutation($token: String!) { verifyEmail(token: $token) {
  __typename ... on VerifyEmailSuccess { emailVerified } ... on UserError { code field } } }"""
REQUEST_VERIFICATION = """mutation { requestEmailVerification { __typename
  ... on RequestEmailVerificationSuccess { user { emailVerified } } ... on UserError { code } } }"""
ME = "{ me { email emailVerified } }"


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> tuple[dict[str, Any], httpx.Response]:
    response = await post(client, SIGN_IN, {"email": email, "password": password})
    assert response.status_code == 200
    return response.json()["data"]["signIn"], response


async def token_count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM auth_token")))


# --- throttling ------------------------------------------------------------------------------------------------


async def test_wrong_passwords_lock_the_account_for_a_while_even_for_the_right_one_then_it_opens(
    client: httpx.AsyncClient, gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    party = await sign_up(gql, kind="BUYER")
    tokens_before = await token_count(engine)

    wrong = [(await sign_in(client, party.email, f"wrong password {n}"))[0] for n in range(5)]
    refused, response = await sign_in(client, party.email, "correct horse battery")
    tokens_while_locked = await token_count(engine)
    clock.advance(timedelta(minutes=31))  # two windows later nothing of the failures is left
    after, _ = await sign_in(client, party.email, "correct horse battery")

    assert [r["__typename"] for r in wrong] == ["InvalidCredentialsError"] * 5
    assert refused["__typename"] == "RateLimitedError" and refused["code"] == "RATE_LIMITED"
    assert 1 <= refused["retryAfterSeconds"] <= 31 * 60
    assert response.headers["Retry-After"] == str(refused["retryAfterSeconds"])
    assert tokens_while_locked == tokens_before  # no session was issued
    assert after["__typename"] == "AuthPayload"


async def test_an_unknown_account_is_throttled_exactly_like_a_known_one(
    client: httpx.AsyncClient, gql: GraphQL
) -> None:
    party = await sign_up(gql, kind="BUYER")

    known = [(await sign_in(client, party.email, "wrong password"))[0]["__typename"] for _ in range(6)]
    unknown = [(await sign_in(client, "nobody@example.com", "wrong password"))[0]["__typename"] for _ in range(6)]

    assert known == unknown == ["InvalidCredentialsError"] * 5 + ["RateLimitedError"]


async def test_one_address_guessing_across_many_accounts_is_stopped_by_the_address_limit(
    client: httpx.AsyncClient, gql: GraphQL
) -> None:
    answers = [(await sign_in(client, f"victim{n}@example.com", "password123"))[0]["__typename"] for n in range(14)]

    assert answers == ["InvalidCredentialsError"] * 12 + ["RateLimitedError"] * 2


async def test_sign_ups_from_one_address_are_limited_and_the_refused_one_creates_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    answers = []
    for n in range(5):
        response = await post(client, SIGN_UP, {"email": f"new{n}@example.com"})
        answers.append((response.json()["data"]["signUp"]["__typename"], response.headers.get("Retry-After")))

    assert [a[0] for a in answers] == ["AuthPayload"] * 4 + ["RateLimitedError"]
    assert answers[-1][1] is not None and int(answers[-1][1]) > 0
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM app_user")) == 4


# --- password reset ---------------------------------------------------------------------------------------------


async def test_a_password_reset_goes_out_by_email_sets_the_password_once_and_ends_every_session(
    client: httpx.AsyncClient, gql: GraphQL, deps: AppDeps, inbox: Inbox, clock: FakeClock, engine: AsyncEngine
) -> None:
    party = await sign_up(gql, kind="BUYER")
    second_session, _ = await sign_in(client, party.email, "correct horse battery")

    asked = await gql(REQUEST_RESET, {"email": f"  {party.email.upper()} "})
    relayed = await relay_account_emails_once(deps)
    token = inbox.link(party.email, "/reset-password")
    async with engine.connect() as conn:
        stored = (await conn.execute(text("SELECT token_hash, pending_secret FROM account_token"))).all()
    reset = await gql(RESET, {"token": token, "password": "a brand new password"})
    again = await gql(RESET, {"token": token, "password": "yet another password"})
    old_sessions = [await gql.raw(ME, token=t) for t in (party.token, second_session["token"])]
    old_password, _ = await sign_in(client, party.email, "correct horse battery")
    new_password, _ = await sign_in(client, party.email, "a brand new password")

    assert asked["requestPasswordReset"] == {"__typename": "RequestPasswordResetSuccess", "email": party.email}
    assert relayed.sent == 2  # the sign-up's verification link and the reset link
    assert all(secret is None and token.encode() not in bytes(h) for h, secret in stored)
    assert reset["resetPassword"] == {"__typename": "ResetPasswordSuccess", "email": party.email}
    assert again["resetPassword"]["__typename"] == "ValidationError"
    assert (again["resetPassword"]["code"], again["resetPassword"]["field"]) == ("TOKEN_INVALID", "token")
    assert [body["data"]["me"] for body in old_sessions] == [None, None]
    assert old_password["__typename"] == "InvalidCredentialsError"
    assert new_password["__typename"] == "AuthPayload"
    assert new_password["user"]["emailVerified"] is True  # the link reached the address


async def test_asking_for_a_reset_answers_alike_for_known_and_unknown_addresses_and_mails_only_the_known(
    gql: GraphQL, deps: AppDeps, inbox: Inbox
) -> None:
    party = await sign_up(gql, kind="BUYER")
    await relay_account_emails_once(deps)
    inbox.messages.clear()

    known = await gql(REQUEST_RESET, {"email": party.email})
    unknown = await gql(REQUEST_RESET, {"email": "nobody@example.com"})
    await relay_account_emails_once(deps)
    limited = [
        (await gql(REQUEST_RESET, {"email": e}))["requestPasswordReset"]
        for e in (party.email, "nobody@example.com")
        for _ in range(3)
    ]

    assert known["requestPasswordReset"]["__typename"] == unknown["requestPasswordReset"]["__typename"]
    assert set(known["requestPasswordReset"]) == set(unknown["requestPasswordReset"])
    assert [m["To"] for m in inbox.messages] == [party.email]
    assert [r["__typename"] for r in limited] == ["RequestPasswordResetSuccess"] * 2 + ["RateLimitedError"] + [
        "RequestPasswordResetSuccess"
    ] * 2 + ["RateLimitedError"]


async def test_an_expired_or_mistyped_reset_link_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, gql: GraphQL, deps: AppDeps, inbox: Inbox, clock: FakeClock
) -> None:
    party = await sign_up(gql, kind="BUYER")
    await gql(REQUEST_RESET, {"email": party.email})
    await relay_account_emails_once(deps)
    token = inbox.link(party.email, "/reset-password")

    mistyped = await gql(RESET, {"token": token[:-2], "password": "a brand new password"})
    short = await gql(RESET, {"token": token, "password": "short"})
    clock.advance(timedelta(minutes=61))
    expired = await gql(RESET, {"token": token, "password": "a brand new password"})
    session, _ = await sign_in(client, party.email, "correct horse battery")

    assert mistyped["resetPassword"]["code"] == expired["resetPassword"]["code"] == "TOKEN_INVALID"
    assert (short["resetPassword"]["code"], short["resetPassword"]["field"]) == ("OUT_OF_RANGE", "password")
    assert session["__typename"] == "AuthPayload"
    assert (await gql(ME, token=party.token))["me"] is not None


# --- e-mail verification ------------------------------------------------------------------------------------------


async def test_a_new_account_verifies_its_address_with_the_emailed_link_once(
    gql: GraphQL, deps: AppDeps, inbox: Inbox
) -> None:
    party = await sign_up(gql, kind="BUYER")
    before = (await gql(ME, token=party.token))["me"]
    await relay_account_emails_once(deps)
    token = inbox.link(party.email, "/verify-email")

    verified = await gql(VERIFY, {"token": token})  # anonymously: the link may be opened in another browser
    again = await gql(VERIFY, {"token": token})
    after = (await gql(ME, token=party.token))["me"]
    asked_again = await gql(REQUEST_VERIFICATION, token=party.token)
    relayed = await relay_account_emails_once(deps)

    assert before == {"email": party.email, "emailVerified": False}
    assert verified["verifyEmail"] == {"__typename": "VerifyEmailSuccess", "emailVerified": True}
    assert (again["verifyEmail"]["code"], again["verifyEmail"]["field"]) == ("TOKEN_INVALID", "token")
    assert after == {"email": party.email, "emailVerified": True}
    assert asked_again["requestEmailVerification"]["user"] == {"emailVerified": True}
    assert relayed.sent == 0  # verified already: nothing more is sent


async def test_asking_for_another_verification_link_sends_one_and_needs_a_sign_in(
    gql: GraphQL, deps: AppDeps, inbox: Inbox
) -> None:
    party = await sign_up(gql, kind="BUYER")
    anonymous = await gql(REQUEST_VERIFICATION)
    await gql(REQUEST_VERIFICATION, token=party.token)
    relayed = await relay_account_emails_once(deps)

    assert anonymous["requestEmailVerification"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED"}
    assert relayed.sent == 2
    assert len({*re.findall(r"token=(\S+)", "".join(m.get_content() for m in inbox.messages))}) == 2
