"""A manufacturer's contracts as its track record reads them: the KPIs by month (domain/kpis/history.py) and the
matching's history totals (domain/matching/queries.py) count the same deliveries from this one subquery."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Subquery, exists, func, select

from domain.contracts.models import Contract, ContractEvent
from domain.orders.models import ProductionOrder


def deliveries(manufacturer_ids: Any) -> Subquery:
    """Per contract of the manufacturers `manufacturer_ids` (a list or a subquery): `org`, `shipped_at` (its first
    ship, null until shipped), `disputed` (its buyer opened a dispute) and the order's `need_by`. A contract counts
    as delivered once shipped, on time when shipped by the need-by date."""
    shipped_at = (
        select(func.min(ContractEvent.created_at))
        .where(ContractEvent.contract_id == Contract.id, ContractEvent.transition == "ship")
        .scalar_subquery()
    )
    disputed = exists().where(ContractEvent.contract_id == Contract.id, ContractEvent.transition == "dispute")
    return (
        select(
            Contract.manufacturer_organisation_id.label("org"),
            shipped_at.label("shipped_at"),
            disputed.label("disputed"),
            ProductionOrder.need_by.label("need_by"),
        )
        .join(ProductionOrder, ProductionOrder.id == Contract.order_id)
        .where(Contract.manufacturer_organisation_id.in_(manufacturer_ids))
        .subquery()
    )
