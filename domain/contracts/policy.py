"""The commercial terms the platform applies to every contract (configured in settings, passed in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class ContractPolicy:
    platform_fee_bps: int = 500  # 5.00 %, in basis points of the contract total
    first_article_share_pct: int = 30  # released when the buyer approves the first article; the rest on acceptance
    funding_window: timedelta = timedelta(days=14)
    delivery_confirmation_window: timedelta = timedelta(days=10)
    inspection_period: timedelta = timedelta(days=7)
