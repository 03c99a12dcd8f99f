"""EXCHANGE_MATCH_WEIGHTS and EXCHANGE_MATCH_BID_WEIGHTS: the defaults with the factors named replaced, refused by the
rule a query's own weights meet (domain/matching/rules.py merge_weights); each setting knows only its own factors."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from domain.matching.rules import DEFAULT_BID_WEIGHTS, DEFAULT_WEIGHTS
from exchange.settings import Environment, Settings


def test_named_factors_replace_their_defaults_and_the_rest_stay() -> None:
    settings = Settings(env=Environment.test, match_weights={"price": 3, "region": 0}, match_bid_weights={"price": 1})

    assert settings.match_weights == {f.value: w for f, w in DEFAULT_WEIGHTS.items()} | {"price": 3.0, "region": 0.0}
    assert settings.match_bid_weights == {"price": 1.0, "lead_time": 1.0, "reliability": 2.0}


def test_unset_weights_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXCHANGE_MATCH_BID_WEIGHTS", '{"reliability": 5}')

    settings = Settings(env=Environment.test)

    assert settings.match_weights == {f.value: w for f, w in DEFAULT_WEIGHTS.items()}
    assert settings.match_bid_weights == {f.value: w for f, w in DEFAULT_BID_WEIGHTS.items()} | {"reliability": 5.0}


@pytest.mark.parametrize(
    ("field", "weights", "message"),
    [
        ("match_weights", {"lead_time": 1}, "unknown factor 'lead_time'"),  # a bid factor, not an order's
        ("match_bid_weights", {"region": 1}, "unknown factor 'region'"),  # an order factor, not a bid's
        ("match_weights", {"price": -1}, "weight of price must be a finite number >= 0"),
        ("match_bid_weights", {"lead_time": float("inf")}, "weight of lead_time must be a finite number >= 0"),
        ("match_bid_weights", {"price": 0, "lead_time": 0, "reliability": 0}, "at least one weight must be above zero"),
    ],
)
def test_bad_weights_are_refused_with_the_rule_s_message(field: str, weights: dict[str, float], message: str) -> None:
    setting: dict[str, Any] = {field: weights}
    with pytest.raises(ValidationError) as refused:
        Settings(env=Environment.test, **setting)

    (error,) = refused.value.errors()
    assert (error["loc"], error["msg"]) == ((field,), f"Value error, {message}")
