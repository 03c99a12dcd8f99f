"""The `exchange` console script as the deploy tests run it: its path and an environment without EXCHANGE_
settings. Used by tests/deploy/ and tests/unit/ (a test module imports helpers from here, not from another test)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXCHANGE = str(Path(sys.executable).parent / "exchange")


def clean_env(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCHANGE_")}
    return env | settings
