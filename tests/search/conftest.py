"""The search behaviour suite runs against every backend: `backend` is parametrized."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.actor import Actor, Role
from domain.identity.service import sign_up
from domain.manufacturers.rules import ProfileDraft
from domain.manufacturers.service import add_capacity_listing, set_certification, upsert_profile
from domain.money import Money
from domain.organisations.models import OrganisationKind
from domain.organisations.rules import OrganisationDraft
from domain.ports.search import IndexName, SearchIndex, SearchQuery, SearchResult
from domain.uow import SessionFactory, UnitOfWork
from exchange.outbox_relay import relay_outbox_once
from exchange.settings import Settings
from search.meilisearch import MeilisearchIndex
from search.postgres import PostgresSearchIndex
from tests.clock import FakeClock
from tests.fakes.meilisearch import FakeMeilisearch, FakeMeilisearchServer
from tests.legal_samples import legal_id

_n = itertools.count(1)

# "meilisearch-live" runs the same suite against a real server when EXCHANGE_MEILI_URL is set;
# "meilisearch-slow-tasks" against the double with every task taking SLOW_TASK_SECONDS in its queue, as a
# busy server's would (the adapter must wait for each before the relay marks a row done).
# "meilisearch-failing-tasks": the double's tasks both slow and failing — every third fails, changing nothing, as a
# real server's task can ("failed: … No changes were made to the database"); the relay reschedules its rows and
# the next pass sends them again, so the suite's results must be the same once the outbox has drained.
BACKENDS = ["postgres", "meilisearch-fake", "meilisearch-slow-tasks", "meilisearch-failing-tasks", "meilisearch-live"]
SLOW_TASK_SECONDS = 0.02
FAILING = "meilisearch-failing-tasks"


def _every_third_task(task: dict[str, Any]) -> bool:
    return int(task["uid"]) % 3 == 1


@pytest.fixture(scope="session")
def fake_meilisearch() -> Iterator[FakeMeilisearch]:
    server = FakeMeilisearchServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
async def backend(
    request: pytest.FixtureRequest, session_factory: SessionFactory, clock: FakeClock
) -> AsyncIterator[SearchIndex]:
    if request.param == "postgres":
        index: SearchIndex = PostgresSearchIndex(session_factory, clock)
    elif request.param == "meilisearch-live":
        settings = Settings()
        if not settings.meili_url:
            pytest.skip("live Meilisearch suite: EXCHANGE_MEILI_URL is not set (the fake ran the same tests)")
        index = MeilisearchIndex(settings.meili_url, settings.meili_key, prefix=f"test{uuid4().hex[:8]}", timeout=30)
    else:
        fake: FakeMeilisearch = request.getfixturevalue("fake_meilisearch")
        fake.reset()
        if request.param in ("meilisearch-slow-tasks", FAILING):
            fake.task_delay = SLOW_TASK_SECONDS
        if request.param == FAILING:
            fake.fail = _every_third_task
        index = MeilisearchIndex(fake.url, fake.key, prefix=f"t{next(_n)}", timeout=5)
    yield index
    await index.close()
    if request.param.startswith("meilisearch-") and request.param != "meilisearch-live":
        request.getfixturevalue("fake_meilisearch").reset()


@dataclass
class SearchWorld:
    """Builds manufacturers and orders through the domain services, and syncs the index via the outbox."""

    session_factory: SessionFactory
    clock: FakeClock
    index: SearchIndex
    admins: dict[UUID, Actor] = field(default_factory=dict)  # organisation id -> its admin
    failing_tasks: bool = False  # the backend's tasks fail now and then: a failed relay pass is retried

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock)

    async def organisation(self, kind: OrganisationKind, name: str, region: str = "RU-MOW") -> Actor:
        n = next(_n)
        async with self.uow() as uow:
            session = await sign_up(
                uow,
                email=f"s{n}@example.com",
                password="correct horse battery",
                full_name=f"Person {n}",
                organisation=OrganisationDraft(name, legal_id("77", n), region, kind),
                token_ttl=timedelta(days=1),
            )
        assert session.organisation is not None
        actor = Actor(user_id=session.user.id, memberships={session.organisation.id: Role.admin})
        self.admins[session.organisation.id] = actor
        return actor

    async def manufacturer(
        self,
        name: str,
        *,
        processes: Sequence[str] = ("cnc_milling",),
        materials: Sequence[str] = ("Aluminium 6061",),
        description: str = "",
        region: str = "RU-MOW",
        certifications: Sequence[str] = (),
        certificate_valid_days: int = 365,
        capacity: Sequence[tuple[str, int, int, int]] = (),  # (process, hours/week, from +days, to +days)
    ) -> UUID:
        actor = await self.organisation(OrganisationKind.manufacturer, name, region)
        org_id = next(iter(actor.memberships))
        async with self.uow() as uow:
            await upsert_profile(
                uow,
                actor=actor,
                organisation_id=org_id,
                draft=ProfileDraft(processes=list(processes), materials=list(materials), description=description),
            )
        for standard in certifications:
            async with self.uow() as uow:
                await set_certification(
                    uow,
                    actor=actor,
                    organisation_id=org_id,
                    standard=standard,
                    certificate_number="C-1",
                    issued_by="",
                    valid_until=self.today() + timedelta(days=certificate_valid_days),
                )
        for process, hours, start, stop in capacity:
            async with self.uow() as uow:
                await add_capacity_listing(
                    uow,
                    actor=actor,
                    organisation_id=org_id,
                    process=process,
                    machine_hours_per_week=hours,
                    available_from=self.today() + timedelta(days=start),
                    available_to=self.today() + timedelta(days=stop),
                    hourly_rate=Money(2000_00, "RUB"),
                )
        return org_id

    def today(self) -> date:
        return self.clock.now().date()

    async def sync(self) -> None:
        """Relay the outbox until it is empty (what the worker does). With failing tasks, a failed pass is followed
        by another once the rows' backoff has passed."""
        for _ in range(40):
            result = await relay_outbox_once(self.session_factory, self.clock, self.index)
            if result.failed:
                assert self.failing_tasks, f"{result.failed} outbox rows failed"
                assert isinstance(self.clock, FakeClock)
                self.clock.advance(timedelta(minutes=5))  # past the relay's longest backoff
                continue
            if result.done == 0:
                return
        raise AssertionError("the outbox did not drain")

    async def search(self, index: IndexName, query: SearchQuery | None = None, **kwargs: object) -> SearchResult:
        return await self.index.search(index, query or SearchQuery(**kwargs))  # type: ignore[arg-type]


@pytest.fixture
def world(
    request: pytest.FixtureRequest, session_factory: SessionFactory, clock: FakeClock, backend: SearchIndex
) -> SearchWorld:
    callspec = getattr(request.node, "callspec", None)
    failing = callspec is not None and callspec.params.get("backend") == FAILING
    return SearchWorld(session_factory, clock, backend, failing_tasks=failing)
