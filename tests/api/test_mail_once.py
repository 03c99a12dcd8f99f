"""E-mail once: a worker killed while relaying sends again at most the one message it had in hand, with the same
Message-ID; a stop request (SIGTERM) finishes that message and ends the pass. Real SMTP (aiosmtpd) receives."""

from __future__ import annotations

import asyncio
from collections import Counter
from email import message_from_bytes, policy
from typing import Any

from aiosmtpd.controller import Controller

from api.context import AppDeps
from domain.ports.mail import EmailMessage
from exchange.db import free_port
from exchange.mail import SmtpEmailSender
from exchange.worker import relay_notification_emails_once
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.api.notifications import Inbox, pending_emails
from tests.clock import FakeClock


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler catches it (as a kill, it is not an Exception)."""


class DyingSender(SmtpEmailSender):
    """Delivers by SMTP, and is killed right after the server took message number `die_after`."""

    def __init__(self, port: int, die_after: int) -> None:
        super().__init__(f"smtp://127.0.0.1:{port}", "Exchange <exchange@example.com>", timeout=5)
        self.die_after = die_after
        self.handed = 0

    async def send(self, message: EmailMessage) -> None:
        await super().send(message)
        self.handed += 1
        if self.handed == self.die_after:
            raise Killed


async def _emails_waiting(gql: GraphQL, clock: FakeClock, count: int) -> None:
    maker = await make_manufacturer(gql, clock)
    for _ in range(count):
        buyer = await sign_up(gql, kind="BUYER")
        await place_bid(gql, maker, await create_order(gql, buyer, clock), clock)


def _message_ids(inbox: Inbox) -> list[str]:
    return [str(message_from_bytes(e.content, policy=policy.default)["Message-ID"]) for e in inbox.messages]


async def test_a_kill_mid_batch_resends_only_the_message_in_hand(
    gql: GraphQL, clock: FakeClock, deps: AppDeps, session_factory: Any
) -> None:
    await _emails_waiting(gql, clock, 5)
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    await asyncio.to_thread(controller.start)
    try:
        deps.mailer = DyingSender(port, die_after=3)
        try:
            await relay_notification_emails_once(deps)
            raise AssertionError("the sender should have been killed")
        except Killed:
            pass
        after_kill = await pending_emails(session_factory)
        deps.mailer = SmtpEmailSender(f"smtp://127.0.0.1:{port}", "Exchange <exchange@example.com>", timeout=5)
        rerun = await relay_notification_emails_once(deps)
    finally:
        await asyncio.to_thread(controller.stop)

    assert after_kill == 3  # two marked done before the kill; the third was handed over but not marked
    assert rerun.sent == 3
    ids = Counter(_message_ids(inbox))
    assert len(inbox.messages) == 6  # five messages, one of them twice
    assert sorted(ids.values()) == [1, 1, 1, 1, 2]  # the copy carries the same Message-ID
    assert all(i.startswith("<notification.") and i.endswith("@example.com>") for i in ids)
    assert await pending_emails(session_factory) == 0


async def test_a_stop_request_finishes_the_message_in_hand_and_ends_the_pass(
    gql: GraphQL, clock: FakeClock, deps: AppDeps, session_factory: Any
) -> None:
    await _emails_waiting(gql, clock, 4)
    stop = asyncio.Event()

    class StoppingSender:
        def __init__(self) -> None:
            self.sent: list[EmailMessage] = []

        async def send(self, message: EmailMessage) -> None:
            if len(self.sent) == 1:
                stop.set()  # SIGTERM arrives while the second message is being sent
            await asyncio.sleep(0)
            self.sent.append(message)

    deps.mailer = sender = StoppingSender()
    result = await relay_notification_emails_once(deps, stop)

    assert (result.sent, len(sender.sent)) == (2, 2)  # the message in hand went out and was marked
    assert await pending_emails(session_factory) == 2
