"""The contract lifecycle, declared as a table of transitions. Only this module decides what is allowed.

Award creates the contract (from no state) in `pending_funding`. The money each transition moves is in
contracts/service.py (`_effects`), keyed by transition name; the timers are declared below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import DomainError, ErrorCode


class ContractStatus(StrEnum):
    pending_funding = "pending_funding"
    funded = "funded"
    in_production = "in_production"
    first_article_review = "first_article_review"
    shipped = "shipped"
    inspection = "inspection"
    disputed = "disputed"
    completed = "completed"
    cancelled = "cancelled"


class Party(StrEnum):
    buyer = "buyer"
    manufacturer = "manufacturer"
    operator = "operator"
    system = "system"  # payment confirmations
    timer = "timer"


FINAL_STATES = frozenset({ContractStatus.completed, ContractStatus.cancelled})


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    sources: frozenset[ContractStatus | None]
    target: ContractStatus
    actors: frozenset[Party]


def _t(name: str, sources: set[ContractStatus | None], target: ContractStatus, *actors: Party) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors))


S = ContractStatus
_BEFORE_FUNDING = {S.pending_funding}
_AFTER_FUNDING = {S.funded, S.in_production, S.first_article_review, S.shipped, S.inspection, S.disputed}

TRANSITIONS: tuple[Transition, ...] = (
    _t("award", {None}, S.pending_funding, Party.buyer),
    _t("fund", {S.pending_funding}, S.funded, Party.system, Party.operator),
    _t("funding_expired", {S.pending_funding}, S.cancelled, Party.timer),
    _t("start_production", {S.funded}, S.in_production, Party.manufacturer),
    _t("submit_first_article", {S.in_production}, S.first_article_review, Party.manufacturer),
    _t("approve_first_article", {S.first_article_review}, S.in_production, Party.buyer),
    _t("reject_first_article", {S.first_article_review}, S.in_production, Party.buyer),
    _t("ship", {S.in_production}, S.shipped, Party.manufacturer),
    _t("confirm_delivery", {S.shipped}, S.inspection, Party.buyer, Party.timer),
    _t("accept", {S.inspection}, S.completed, Party.buyer),
    _t("auto_accept", {S.inspection}, S.completed, Party.timer),
    _t("dispute", {S.inspection}, S.disputed, Party.buyer),
    _t("resolve", {S.disputed}, S.completed, Party.operator),
    _t("cancel", set(_BEFORE_FUNDING), S.cancelled, Party.buyer, Party.manufacturer, Party.operator),
    _t("operator_cancel", set(_AFTER_FUNDING), S.cancelled, Party.operator),
)
TRANSITIONS_BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}

# Waiting states that time out, and the transition their timer takes.
TIMERS: dict[ContractStatus, str] = {
    S.pending_funding: "funding_expired",
    S.shipped: "confirm_delivery",
    S.inspection: "auto_accept",
}


@dataclass(frozen=True, slots=True)
class Decision:
    transition: Transition
    from_status: ContractStatus | None
    to_status: ContractStatus
    at: datetime


def apply(status: ContractStatus | None, transition_name: str, party: Party, now: datetime) -> Decision:
    """Decide whether `party` may take `transition_name` from `status`; raise a DomainError if not."""
    transition = TRANSITIONS_BY_NAME.get(transition_name)
    if transition is None:
        raise ValueError(f"unknown transition {transition_name!r}")
    if party not in transition.actors:
        raise DomainError(ErrorCode.FORBIDDEN, f"{party.value} may not {transition.name.replace('_', ' ')}")
    if status not in transition.sources:
        state = status.value if status else "new"
        step = transition.name.replace("_", " ")
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"cannot {step} a {state} contract")
    return Decision(transition, status, transition.target, now)
