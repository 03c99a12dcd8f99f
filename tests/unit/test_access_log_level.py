"""uvicorn's access lines (INFO) reach the log's handler at INFO and below; above it uvicorn.access has none, so that
uvicorn (which asks `hasHandlers()` per connection) does not build each response's line for nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog

from exchange.logging import configure_logging
from exchange.settings import Settings


@pytest.fixture
def restored() -> Iterator[None]:
    root = logging.getLogger()
    access = logging.getLogger("uvicorn.access")
    handlers, level, propagate = list(root.handlers), root.level, access.propagate
    yield
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)
    access.propagate = propagate


@pytest.mark.parametrize(("level", "logged"), [("DEBUG", True), ("INFO", True), ("WARNING", False), ("ERROR", False)])
def test_access_lines_have_a_handler_only_where_they_are_logged(restored: None, level: str, logged: bool) -> None:
    configure_logging(Settings(log_level=level))
    access = logging.getLogger("uvicorn.access")
    assert access.hasHandlers() is logged
    assert access.isEnabledFor(logging.INFO) is logged
    assert logging.getLogger("uvicorn.error").hasHandlers()  # uvicorn's own warnings and errors still reach the log
