from __future__ import annotations

import pytest

from domain.uow import SessionFactory
from tests.clock import FakeClock
from tests.integration.factories import Market


@pytest.fixture
def market(session_factory: SessionFactory, clock: FakeClock) -> Market:
    return Market(session_factory, clock)
