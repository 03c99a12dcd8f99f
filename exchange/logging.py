"""structlog set-up: readable lines in development, JSON lines in production."""

from __future__ import annotations

import logging

import structlog

from exchange.settings import Settings


class _AlembicRoutine(logging.Filter):
    """Drops what Alembic says before every command (its DDL mode) and keeps what it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.getMessage().startswith("Running ")


def configure_logging(settings: Settings) -> None:
    level = logging.getLevelName(settings.log_level.upper())
    logging.basicConfig(level=level, format="%(message)s")
    if level > logging.DEBUG:
        # Alembic's plugin set-up and context lines would open every command; only a migration that runs is news.
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
        migration = logging.getLogger("alembic.runtime.migration")
        if not any(isinstance(existing, _AlembicRoutine) for existing in migration.filters):
            migration.addFilter(_AlembicRoutine())
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if settings.production else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
    )
