"""Logging: one handler on the root logger (stderr) that renders every record alike — structlog's own and the
standard library's (uvicorn, Alembic, SQLAlchemy) — as JSON lines in production and readable lines in development.
Each line carries the context variables bound for it, so a request's lines (uvicorn's access line too) carry its
`request_id` (api/observability/request_id.py).
"""

from __future__ import annotations

import logging
import sys

import structlog

from exchange.settings import Settings


class _AlembicRoutine(logging.Filter):
    """Drops what Alembic says before every command (its DDL mode) and keeps what it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.getMessage().startswith("Running ")


class _OwnStream(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record is emitted (a test's capture, a redirected stream)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _: object) -> None:
        pass


# Added to every record, structlog's and the standard library's alike.
_SHARED: list[structlog.typing.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_logging(settings: Settings) -> None:
    level = logging.getLevelName(settings.log_level.upper())
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if settings.production else structlog.dev.ConsoleRenderer()
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if settings.production else _keep,
            renderer,
        ],
    )
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OwnStream)]:
        root.removeHandler(handler)
    handler = _OwnStream()
    handler.setFormatter(formatter)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn's own handlers (if its default config ran) would print a second, unstructured copy.
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
        # Nor may an earlier set-up mute it: a logging.config call (which disables the loggers that exist) or a
        # uvicorn.Config(log_level=...) (which sets its loggers' own level): the root's level decides.
        logging.getLogger(name).disabled = False
        logging.getLogger(name).setLevel(logging.NOTSET)
    # uvicorn's access lines are INFO. Above it they reach no handler at all: uvicorn asks the access logger
    # `hasHandlers()` once per connection, and when it has one builds every response's line (the client's address,
    # the path) for the logger to drop it.
    logging.getLogger("uvicorn.access").propagate = level <= logging.INFO
    if level > logging.DEBUG:
        # Alembic's plugin set-up and context lines would open every command; only a migration that runs is news.
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
        migration = logging.getLogger("alembic.runtime.migration")
        if not any(isinstance(existing, _AlembicRoutine) for existing in migration.filters):
            migration.addFilter(_AlembicRoutine())
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: structlog.testing.capture_logs (tests) must still reach loggers made before it.
    )


def _keep(logger: object, method: str, event: structlog.typing.EventDict) -> structlog.typing.EventDict:
    # The console renderer prints exceptions itself (with colour); JSON needs them as a string.
    return event
