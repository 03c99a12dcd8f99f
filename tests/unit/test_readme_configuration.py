"""The README's configuration table names every setting, and nothing that is not one."""

from __future__ import annotations

import re
from pathlib import Path

from exchange.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    documented = set(re.findall(r"^\| `(EXCHANGE_[A-Z0-9_]+)` \|", README.read_text(), flags=re.MULTILINE))
    settings = {f"EXCHANGE_{name.upper()}" for name in Settings.model_fields}
    assert settings - documented == set(), "settings missing from the README's configuration table"
    assert documented - settings == set(), "the README documents variables that are not settings"
