"""The alerting rules shipped in docs/ name metrics that exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import api.observability.prometheus  # noqa: F401  (registers the metrics)

RULES = Path(__file__).resolve().parents[2] / "docs" / "operations" / "prometheus-alerts.yml"


def test_every_metric_an_alert_names_exists() -> None:
    rules = [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]
    # A family's samples: the counter's _total, the histogram's _bucket/_count/_sum, the gauge itself.
    exposed = {
        family.name + suffix
        for family in REGISTRY.collect()
        if family.name.startswith("exchange_")
        for suffix in ("", "_total", "_bucket", "_count", "_sum")
    }
    named = {name for rule in rules for name in re.findall(r"\bexchange_[a-z_]+", rule["expr"])}

    assert len(rules) == 7
    assert named - exposed == set()
    assert {"exchange_graphql_requests_total", "exchange_db_connections_opened_total"} <= named
