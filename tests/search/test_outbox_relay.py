"""The outbox keeps the index equal to the database: same-transaction rows, safe concurrent relays,
and no lost or stale document when the backend was down for a while."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain.errors import DomainError
from domain.identity.recovery import ACCOUNT_EMAIL_TOPIC
from domain.manufacturers.rules import ProfileDraft
from domain.manufacturers.service import upsert_profile
from domain.orders.service import cancel_order
from domain.organisations.models import OrganisationKind
from domain.organisations.service import OrganisationChanges, update_organisation
from domain.outbox import OutboxMessage
from domain.ports.search import (
    Document,
    IndexName,
    SearchIndex,
    SearchQuery,
    SearchRefused,
    SearchResult,
    SearchUnavailable,
)
from exchange.outbox_relay import relay_outbox_once
from tests.clock import FakeClock
from tests.integration.factories import Market
from tests.search.conftest import SearchWorld
from tests.search.outbox import expected_documents, outbox


async def count_outbox(world: SearchWorld) -> int:
    async with world.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_a_change_and_its_outbox_row_commit_together_and_a_refusal_writes_none(world: SearchWorld) -> None:
    org_id = await world.manufacturer("Ural Precision")
    await world.sync()
    admin = world.admins[org_id]
    before = await count_outbox(world)

    async with world.uow() as uow:
        try:
            await upsert_profile(uow, actor=admin, organisation_id=org_id, draft=ProfileDraft(processes=[]))
            raise AssertionError("a profile without processes must be refused")
        except DomainError:
            pass
    after_refusal = await count_outbox(world)
    async with world.uow() as uow:
        await update_organisation(
            uow, actor=admin, organisation_id=org_id, changes=OrganisationChanges(name="Ural Precision Works")
        )
    after_change = await count_outbox(world)

    assert (after_refusal, after_change) == (before, before + 1)
    await world.sync()
    result = await world.search(IndexName.manufacturers, text="works")
    assert [hit.id for hit in result.hits] == [str(org_id)]


async def test_two_relays_at_once_index_everything_exactly_once(world: SearchWorld) -> None:
    for n in range(30):
        await world.manufacturer(f"Maker {n}")
    market = Market(world.session_factory, world.clock)
    buyer = await market.organisation(OrganisationKind.buyer)
    for n in range(10):
        await market.open_order(buyer, title=f"Order {n}")
    pending = len(await outbox(world))

    async def relay() -> int:
        done = 0
        while True:
            result = await relay_outbox_once(world.session_factory, world.clock, world.index, limit=7)
            done += result.done
            if result.failed:  # only with the double's failing tasks: the rows' next attempt after their backoff
                assert world.failing_tasks and isinstance(world.clock, FakeClock)
                world.clock.advance(timedelta(minutes=5))
                continue
            if result.done == 0 and result.skipped == 0:
                return done

    first, second = await asyncio.gather(relay(), relay())

    assert first + second == pending
    assert first > 0 and second > 0
    assert all(done for _, _, done in await outbox(world))
    for index in IndexName:
        assert await world.index.documents(index) == await expected_documents(world, index)


class FlakyIndex:
    """A backend that can be switched off: every call raises while it is down."""

    def __init__(self, inner: SearchIndex) -> None:
        self.inner = inner
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise SearchUnavailable("search backend is down")

    async def apply(self, index: IndexName, upserts: Sequence[Document], deletes: Sequence[str]) -> None:
        self._check()
        await self.inner.apply(index, upserts, deletes)

    async def search(self, index: IndexName, query: SearchQuery) -> SearchResult:
        self._check()
        return await self.inner.search(index, query)

    async def rebuild(self, index: IndexName, batches: object) -> int:
        self._check()
        return await self.inner.rebuild(index, batches)  # type: ignore[arg-type]

    async def documents(self, index: IndexName) -> dict[str, Document]:
        return await self.inner.documents(index)

    async def close(self) -> None:
        await self.inner.close()


async def test_with_the_backend_down_changes_succeed_and_the_relay_catches_up(world: SearchWorld) -> None:
    flaky = FlakyIndex(world.index)
    world.index = flaky
    market = Market(world.session_factory, world.clock)
    buyer = await market.organisation(OrganisationKind.buyer)
    kept = await market.open_order(buyer, title="Kept")
    changed = await world.manufacturer("Before", materials=["Steel"])
    await world.sync()

    flaky.down = True
    # While it is down: new documents, changed documents, documents that must disappear.
    new_maker = await world.manufacturer("Newcomer", processes=["edm"])
    async with world.uow() as uow:
        await update_organisation(
            uow,
            actor=world.admins[changed],
            organisation_id=changed,
            changes=OrganisationChanges(name="After", region="RU-SVE"),
        )
    async with world.uow() as uow:
        await cancel_order(uow, actor=buyer, order_id=kept.id, reason="no longer needed")
    failed = await relay_outbox_once(world.session_factory, world.clock, flaky)
    again_too_soon = await relay_outbox_once(world.session_factory, world.clock, flaky)

    assert failed.done == 0 and failed.failed > 0
    assert again_too_soon.failed == 0  # backing off: nothing was due
    assert {attempts for _, attempts, done in await outbox(world) if not done} == {1}

    flaky.down = False
    world.clock.advance(timedelta(seconds=3))
    await world.sync()

    assert all(done for _, _, done in await outbox(world))
    for index in IndexName:
        assert await world.index.documents(index) == await expected_documents(world, index)
    manufacturers = await world.index.documents(IndexName.manufacturers)
    assert (manufacturers[str(changed)]["name"], manufacturers[str(changed)]["region"]) == ("After", "RU-SVE")
    assert str(new_maker) in manufacturers
    assert await world.index.documents(IndexName.orders) == {}


async def test_reindex_rebuilds_every_document_from_the_database(world: SearchWorld) -> None:
    from search.reindex import reindex

    if world.failing_tasks:
        pytest.skip("reindex is one pass an operator runs and reruns: a task failing under it fails the command")

    for n in range(5):
        await world.manufacturer(f"Maker {n}")
    market = Market(world.session_factory, world.clock)
    buyer = await market.organisation(OrganisationKind.buyer)
    await market.open_order(buyer)
    # Nothing relayed: the index is empty; every outbox row is pending.
    assert await world.index.documents(IndexName.manufacturers) == {}
    totals: list[int] = []
    batches: list[int] = []

    stored = {
        index: await reindex(
            world.session_factory,
            world.clock,
            world.index,
            index,
            batch_size=2,
            on_total=totals.append,
            on_batch=batches.append,
        )
        for index in IndexName
    }

    assert stored == {IndexName.manufacturers: 5, IndexName.orders: 1}
    assert (totals, batches) == ([5, 1], [2, 2, 1, 1])
    for index in IndexName:
        assert await world.index.documents(index) == await expected_documents(world, index)


async def test_relayed_rows_are_purged_after_the_retention_and_pending_ones_never(world: SearchWorld) -> None:
    from exchange.outbox_relay import purge_done

    await world.manufacturer("Old")
    await world.sync()
    relayed = len(await outbox(world))
    world.clock.advance(timedelta(days=8))
    await world.manufacturer("Pending")  # its rows stay pending: no relay after this
    pending = len(await outbox(world)) - relayed

    purged = await purge_done(world.session_factory, world.clock, older_than=timedelta(days=7))

    assert purged == relayed
    assert [done for _, _, done in await outbox(world)] == [False] * pending


async def test_the_search_relay_leaves_other_consumers_topics_alone(world: SearchWorld) -> None:
    from domain.outbox import emit

    async with world.uow() as uow:
        emit(uow, "notification", "00000000-0000-0000-0000-000000000042")
        await uow.commit()

    result = await relay_outbox_once(world.session_factory, world.clock, world.index)

    assert (result.done, result.failed, result.skipped) == (0, 0, 0)
    assert await outbox(world, every_topic=True) == [("notification", 0, False)]


class PickyIndex(FlakyIndex):
    """Refuses any batch that holds a document named "Poison"."""

    async def apply(self, index: IndexName, upserts: Sequence[Document], deletes: Sequence[str]) -> None:
        if any(doc.get("name") == "Poison" for doc in upserts):
            raise SearchRefused("document refused")
        await self.inner.apply(index, upserts, deletes)


async def test_a_refused_document_does_not_hold_the_others_back(world: SearchWorld) -> None:
    if world.failing_tasks:
        pytest.skip("counts the failures of the one document it refuses: the double's own failures would add to them")
    picky = PickyIndex(world.index)
    good = [await world.manufacturer(f"Good {n}") for n in range(3)]
    poison = await world.manufacturer("Poison")

    result = await relay_outbox_once(world.session_factory, world.clock, picky)

    assert set(await world.index.documents(IndexName.manufacturers)) == {str(g) for g in good}
    async with world.session_factory() as session:
        pending = (
            await session.execute(
                select(OutboxMessage.key, OutboxMessage.attempts, OutboxMessage.last_error).where(
                    OutboxMessage.done_at.is_(None),
                    OutboxMessage.topic != ACCOUNT_EMAIL_TOPIC,  # each sign-up's verification e-mail: not search's
                )
            )
        ).all()
    assert {tuple(row) for row in pending} == {(str(poison), 1, "SearchRefused('document refused')")}
    assert result.failed == len(pending)
