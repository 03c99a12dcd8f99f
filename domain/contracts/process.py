"""The contract lifecycle, declared as a table of transitions. Only this module decides what is allowed.

Award creates the contract (from no state) in `pending_funding`. The money each transition moves is in
contracts/service.py (`_effects`), keyed by transition name; the timers are declared below.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
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


def apply(
    status: ContractStatus | None, transition_name: str, party: Party, now: datetime, *, passed: Set[ContractStatus]
) -> Decision:
    """Decide whether `party` may take `transition_name` from `status`, on a contract that has `passed` these
    reviews (`passed_reviews` of its steps); raise a DomainError if not."""
    transition = TRANSITIONS_BY_NAME.get(transition_name)
    if transition is None:
        raise ValueError(f"unknown transition {transition_name!r}")
    if party not in transition.actors:
        raise DomainError(ErrorCode.FORBIDDEN, f"{party.value} may not {transition.name.replace('_', ' ')}")
    if status not in transition.sources:
        state = status.value if status else "new"
        step = transition.name.replace("_", " ")
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"cannot {step} a {state} contract")
    if _closed(transition, passed):
        raise DomainError(*_CLOSED_BECAUSE[transition.target])
    return Decision(transition, status, transition.target, now)


def allows(status: ContractStatus | None, transition_name: str, *, passed: Set[ContractStatus] = frozenset()) -> bool:
    """Whether `transition_name` may be taken from `status` (by the party it is for) on a contract that has
    `passed` these reviews."""
    transition = TRANSITIONS_BY_NAME[transition_name]
    return status in transition.sources and not _closed(transition, passed)


def awaits_funding(status: ContractStatus) -> bool:
    """Whether money paid in now funds the contract (else it goes back: the contract was funded or cancelled)."""
    return allows(status, "fund")


def cancellation(status: ContractStatus) -> str:
    """The cancellation an operator takes from `status`: the parties' `cancel` before funding, `operator_cancel`
    (with its refund) after."""
    return "cancel" if allows(status, "cancel") else "operator_cancel"


def open_for_review(status: ContractStatus) -> bool:
    """Reviews open when the contract completes (accepted, auto-accepted or resolved), and only then."""
    return status is ContractStatus.completed


# What the parties see of the lifecycle ------------------------------------------------------------

# The states a contract passes through when all goes well, in order; a timeline is drawn along it.
MAIN_PATH: tuple[ContractStatus, ...] = (
    S.pending_funding,
    S.funded,
    S.in_production,
    S.first_article_review,
    S.shipped,
    S.inspection,
    S.completed,
)
# States off the main path: a dispute (returns to it at completion) and cancellation (ends it).
SIDE_STATES: tuple[ContractStatus, ...] = (S.disputed, S.cancelled)
# Review states on the main path that the contract leaves back to an earlier state, each with the transition that
# passes it: once the first article is approved the review is behind the contract (done) although the contract is
# back in production, before the review on the path; returned, it is ahead again, to be passed.
PASSED_BY: dict[ContractStatus, str] = {S.first_article_review: "approve_first_article"}
# A review once passed is not entered again: the first article approved, the manufacturer is not offered to submit
# another, nor may it (a returned one is resubmitted: that is what returning it is for). Each such review says why.
_CLOSED_BECAUSE: dict[ContractStatus, tuple[ErrorCode, str]] = {
    S.first_article_review: (
        ErrorCode.FIRST_ARTICLE_APPROVED,
        "the first article was approved already: production goes on to shipping",
    ),
}


def _closed(transition: Transition, passed: Set[ContractStatus]) -> bool:
    """Whether `transition` leads into a review the contract has passed."""
    return transition.target in PASSED_BY and transition.target in passed


def passed_reviews(steps: Iterable[tuple[str, ContractStatus]]) -> frozenset[ContractStatus]:
    """The reviews (PASSED_BY) a contract has passed, from its audit log oldest first (each step's transition and
    the state it led to): those whose last way out was the transition that passes them. (Before this rule an
    approved first article could be submitted again; returned then, its review is not passed.)"""
    passed: set[ContractStatus] = set()
    for name, reached in steps:
        transition = TRANSITIONS_BY_NAME.get(name)
        if transition is None:
            continue
        for review, passing in PASSED_BY.items():
            if review in transition.sources and reached != review:
                if name == passing:
                    passed.add(review)
                else:
                    passed.discard(review)
            elif reached == review:
                passed.discard(review)
    return frozenset(passed)


def may_enter_a_review(status: ContractStatus) -> bool:
    """Whether a step from `status` leads into a review, so that what the contract has passed matters to what it
    may do (readers load its audit log only then)."""
    return any(status in t.sources and t.target in PASSED_BY for t in TRANSITIONS)


class Need(StrEnum):
    """What a person supplies with an action, beyond pressing the button."""

    reason = "reason"  # required text, kept in the audit log
    note = "note"  # optional text
    tracking_reference = "tracking_reference"
    release = "release"  # how much of escrow goes to the manufacturer


class Action(StrEnum):
    """The steps a person may take on a contract, each one mutation (see ACTIONS)."""

    fund = "fund"
    start_production = "start_production"
    submit_first_article = "submit_first_article"
    approve_first_article = "approve_first_article"
    reject_first_article = "reject_first_article"
    ship = "ship"
    confirm_delivery = "confirm_delivery"
    accept = "accept"
    open_dispute = "open_dispute"
    resolve_dispute = "resolve_dispute"
    cancel = "cancel"
    review = "review"  # not a transition: after completion, while domain/reviews/rules.may_review says so


@dataclass(frozen=True, slots=True)
class ActionSpec:
    action: Action
    transitions: tuple[str, ...]  # the transitions it takes (cancel: the operator's after funding too)
    started_by: frozenset[Party]  # when set, these take it instead of the transitions' actors
    needs: frozenset[Need]
    irreversible: bool  # a client asks to confirm first


# Steps after which there is no way back for the one who takes them (besides those ending the contract).
_NO_WAY_BACK = {"approve_first_article", "ship", "dispute"}


def _a(action: Action, *transitions: str, needs: set[Need] | None = None, starts: Party | None = None) -> ActionSpec:
    specs = [TRANSITIONS_BY_NAME[name] for name in transitions]
    irreversible = any(t.target in FINAL_STATES or t.name in _NO_WAY_BACK for t in specs)
    started_by = frozenset({starts} if starts else ())
    return ActionSpec(action, transitions, started_by, frozenset(needs or ()), irreversible)


ACTIONS: tuple[ActionSpec, ...] = (
    # The buyer starts it (pays); the payment's arrival, confirmed by the provider or an operator, is the
    # `fund` transition itself.
    _a(Action.fund, "fund", starts=Party.buyer),
    _a(Action.start_production, "start_production"),
    _a(Action.submit_first_article, "submit_first_article", needs={Need.note}),
    _a(Action.approve_first_article, "approve_first_article", needs={Need.note}),
    _a(Action.reject_first_article, "reject_first_article", needs={Need.reason}),
    _a(Action.ship, "ship", needs={Need.tracking_reference}),
    _a(Action.confirm_delivery, "confirm_delivery"),
    _a(Action.accept, "accept", needs={Need.note}),
    _a(Action.open_dispute, "dispute", needs={Need.reason}),
    _a(Action.resolve_dispute, "resolve", needs={Need.release, Need.note}),
    _a(Action.cancel, "cancel", "operator_cancel", needs={Need.reason}),
)
ACTIONS_BY_NAME: dict[Action, ActionSpec] = {spec.action: spec for spec in ACTIONS}


def available_actions(status: ContractStatus, parties: set[Party], *, passed: Set[ContractStatus]) -> list[ActionSpec]:
    """What someone on `parties` sides of a contract in `status`, having `passed` these reviews, may do now, in
    table order: an action whose transition leaves this state, taken by one of those parties (the same checks
    `apply` makes)."""
    return [
        spec
        for spec in ACTIONS
        if any(
            allows(status, name, passed=passed) and parties & (spec.started_by or TRANSITIONS_BY_NAME[name].actors)
            for name in spec.transitions
        )
    ]


def timer_transition(status: ContractStatus) -> Transition | None:
    """What happens when the contract's `due_at` passes in this state, if anything."""
    name = TIMERS.get(status)
    return TRANSITIONS_BY_NAME[name] if name else None
