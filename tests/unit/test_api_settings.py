"""exchange/settings.py's Settings gives the API every setting api/settings.py's protocol names, with its type."""

from __future__ import annotations

import inspect
from typing import get_type_hints

from api.settings import ApiSettings
from exchange.settings import Settings


def _members() -> dict[str, object]:
    return {
        name: get_type_hints(member.fget)["return"]
        for name, member in vars(ApiSettings).items()
        if isinstance(member, property)
    }


def test_settings_satisfies_the_apis_protocol() -> None:
    members = _members()
    fields = Settings.model_fields

    assert len(members) > 20  # the protocol was read
    for name, wanted in members.items():
        if name in fields:
            assert fields[name].annotation == wanted, name
        else:  # a derived setting: a property of Settings
            prop = inspect.getattr_static(Settings, name, None)
            assert isinstance(prop, property), f"Settings has no {name}"
            assert get_type_hints(prop.fget)["return"] == wanted, name


def test_a_default_settings_object_answers_every_member() -> None:
    settings = Settings()

    for name in _members():
        getattr(settings, name)
