"""Run the Alembic migrations programmatically (`exchange migrate`, `serve`, the tests).

Works from a source checkout and from an installed wheel alike: the scripts ship in the `migrations`
package. (alembic.ini at the repository root is for developers' `alembic revision --autogenerate`.)
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import migrations


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).resolve().parent))
    config.attributes["url"] = url
    return config


def upgrade(
    url: str,
    revision: str = "head",
    *,
    lock_timeout_seconds: float | None = None,
    statement_timeout_seconds: float | None = None,
) -> None:
    """Migrate under the migration advisory lock, with DDL's lock_timeout and statement_timeout (migrations/env.py;
    EXCHANGE_MIGRATION_*_TIMEOUT_SECONDS when not given)."""
    config = alembic_config(url)
    config.attributes["lock_timeout_seconds"] = lock_timeout_seconds
    config.attributes["statement_timeout_seconds"] = statement_timeout_seconds
    command.upgrade(config, revision)
