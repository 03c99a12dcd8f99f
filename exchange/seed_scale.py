# ruff: noqa: RUF001
"""Seed-scale data for benchmarks (`exchange seed --profile seed-scale | 10x | tiny`), bulk-loaded with COPY.

The organisations, users, manufacturer profiles, certificates and capacity come from the demo seed's planners
(exchange/seed.py, spread over 73 regions here); orders, bids and contracts are generated here, in every
status, consistent with the domain rules:

- orders: draft (no bids), open (active bids; some withdrawn, some revised: a superseded bid and its active
  revision), awarded (one accepted bid, the rest rejected, and its contract), cancelled (bids rejected),
  expired (bids expired). Every bidder passes the same fit check `place_bid` makes; an invited-only order
  invites every bidder. Open orders' deadlines and active bids' validity are in the future.
- contracts: every lifecycle state, reached by a path of transitions that `process.apply` accepts, one
  `contract_event` per step; milestones from `milestone_plan`; funding through a recorded bank transfer;
  releases, payouts and refunds as the bank-transfer provider would post them (balanced ledger transactions,
  payment instructions). Waiting states are entered recently enough that no timer is due.
- no capacity holds: orders carry no estimated machine-hours (no estimate, no hold, as in `hold_for_bid`).
- the search tables are not filled: run `exchange search reindex` afterwards.

Deterministic: one `random.Random(random_seed)` stream drives everything after the organisations, and times
are offsets from the hour the seed starts. Refuses a database that already holds organisations. Loaded in
one transaction, table by table in foreign-key order, in chunks of orders so that memory stays flat at 10x.
"""

from __future__ import annotations

import random
import sys
import time as clock
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import orjson
from sqlalchemy.ext.asyncio import AsyncSession
from tqdm import tqdm

from domain.bids.models import BidStatus
from domain.contracts import process
from domain.contracts.policy import ContractPolicy
from domain.contracts.process import ContractStatus, Party
from domain.identity.passwords import hash_password
from domain.ledger import rules as ledger
from domain.ledger.models import InstructionKind, InstructionStatus
from domain.manufacturers.rules import Requirement, fit_problems
from domain.matching.records import refresh_records
from domain.orders.models import OrderStatus, Visibility
from domain.vocabulary import CertificationStandard, ToleranceClass
from exchange import seed as demo
from exchange.db import create_engine

# 73 regions: the demo seed's weighted 30, and 43 more industrial and regional subdivisions at weight 1.
REGIONS_73: dict[str, int] = demo.REGIONS | dict.fromkeys(
    (
        "RU-AD", "RU-AL", "RU-ALT", "RU-AMU", "RU-ARK", "RU-AST", "RU-BRY", "RU-BU", "RU-CE", "RU-CHU",
        "RU-CU", "RU-DA", "RU-IN", "RU-IVA", "RU-KB", "RU-KAM", "RU-KC", "RU-KEM", "RU-KGN", "RU-KHA",
        "RU-KHM", "RU-KIR", "RU-KO", "RU-KOS", "RU-KR", "RU-KRS", "RU-LIP", "RU-MAG", "RU-ME", "RU-MO",
        "RU-MUR", "RU-NGR", "RU-ORE", "RU-ORL", "RU-PNZ", "RU-PSK", "RU-RYA", "RU-SA", "RU-SAK", "RU-SMO",
        "RU-STA", "RU-TAM", "RU-TVE",
    ),
    1,
)  # fmt: skip
assert len(REGIONS_73) == 73


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    organisations: int
    orders: int
    bids: int  # about: the generator aims at this many bid rows


PROFILES: dict[str, Profile] = {
    "tiny": Profile("tiny", organisations=300, orders=1_500, bids=12_000),
    "seed-scale": Profile("seed-scale", organisations=20_000, orders=100_000, bids=1_000_000),
    "10x": Profile("10x", organisations=200_000, orders=1_000_000, bids=10_000_000),
}

ORDER_STATUS_WEIGHTS: dict[OrderStatus, int] = {
    OrderStatus.draft: 6,
    OrderStatus.open: 36,
    OrderStatus.awarded: 28,
    OrderStatus.cancelled: 10,
    OrderStatus.expired: 20,
}
S = ContractStatus
# Target state -> weight; the paths below reach each state.
CONTRACT_STATE_WEIGHTS: dict[ContractStatus, int] = {
    S.pending_funding: 9,
    S.funded: 7,
    S.in_production: 20,
    S.first_article_review: 6,
    S.shipped: 8,
    S.inspection: 6,
    S.disputed: 3,
    S.completed: 32,
    S.cancelled: 9,
}
_FA = ["award", "fund", "start_production", "submit_first_article"]
_SHIP = [*_FA, "approve_first_article", "ship"]
_INSPECT = [*_SHIP, "confirm_delivery"]
PATHS: dict[ContractStatus, list[list[str]]] = {
    S.pending_funding: [["award"]],
    S.funded: [["award", "fund"]],
    S.in_production: [
        ["award", "fund", "start_production"],
        [*_FA, "approve_first_article"],
        [*_FA, "reject_first_article"],
    ],
    S.first_article_review: [_FA],
    S.shipped: [_SHIP],
    S.inspection: [_INSPECT],
    S.disputed: [[*_INSPECT, "dispute"]],
    S.completed: [[*_INSPECT, "accept"], [*_INSPECT, "auto_accept"], [*_INSPECT, "dispute", "resolve"]],
    S.cancelled: [
        ["award", "cancel"],
        ["award", "funding_expired"],
        ["award", "fund", "start_production", "operator_cancel"],
    ],
}
PARTY_OF: dict[str, Party] = {
    "award": Party.buyer,
    "fund": Party.operator,
    "funding_expired": Party.timer,
    "start_production": Party.manufacturer,
    "submit_first_article": Party.manufacturer,
    "approve_first_article": Party.buyer,
    "reject_first_article": Party.buyer,
    "ship": Party.manufacturer,
    "confirm_delivery": Party.buyer,
    "accept": Party.buyer,
    "auto_accept": Party.timer,
    "dispute": Party.buyer,
    "resolve": Party.operator,
    "cancel": Party.buyer,
    "operator_cancel": Party.operator,
}
POLICY = ContractPolicy()
CHUNK_ORDERS = 20_000
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Column lists, in the order the generators build their tuples.
COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": (
        "id", "name", "legal_id", "region", "kind", "membership", "verified", "verified_at", "created_at", "updated_at",
    ),
    "app_user": ("id", "email", "full_name", "password_hash", "is_operator", "created_at"),
    "membership": ("id", "user_id", "organisation_id", "role", "created_at"),
    "manufacturer_profile": (
        "organisation_id", "processes", "materials", "max_part_x_mm", "max_part_y_mm", "max_part_z_mm",
        "min_quantity", "max_quantity", "description", "updated_at",
    ),
    "certification": (
        "id", "organisation_id", "standard", "certificate_number", "issued_by", "valid_until", "created_at",
    ),
    "capacity_listing": (
        "id", "organisation_id", "process", "machine_hours_per_week", "available_from", "available_to",
        "hourly_rate_minor", "currency", "created_at",
    ),
    "production_order": (
        "id", "buyer_organisation_id", "created_by_user_id", "status", "visibility", "title", "description",
        "process", "material", "quantity", "tolerance_class", "required_certifications", "need_by",
        "delivery_region", "budget_min_minor", "budget_max_minor", "currency", "bidding_deadline",
        "estimated_machine_hours", "published_at", "closed_at", "cancel_reason", "created_at", "updated_at",
        "allow_split", "awarded_quantity",
    ),
    "order_invitation": ("order_id", "manufacturer_organisation_id", "created_at"),
    "bid": (
        "id", "order_id", "manufacturer_organisation_id", "placed_by_user_id", "status", "revision",
        "previous_bid_id", "unit_price_minor", "tooling_minor", "total_minor", "currency", "lead_time_days",
        "valid_until", "notes", "created_at", "updated_at", "quantity",
    ),
    "contract": (
        "id", "order_id", "bid_id", "buyer_organisation_id", "manufacturer_organisation_id", "status", "quantity",
        "total_minor", "currency", "platform_fee_minor", "payment_method", "payment_reference", "due_at",
        "tracking_reference", "created_at", "updated_at",
    ),
    "contract_milestone": (
        "id", "contract_id", "position", "name", "trigger", "amount_minor", "fee_minor", "status", "settled_at",
    ),
    "contract_event": (
        "id", "contract_id", "transition", "actor_user_id", "from_status", "to_status", "payload", "created_at",
    ),
    "bank_transfer": (
        "id", "contract_id", "bank_transaction_id", "amount_minor", "currency", "received_on",
        "recorded_by_user_id", "created_at",
    ),
    "ledger_transaction": ("id", "contract_id", "kind", "idempotency_key", "provider_reference", "created_at"),
    "ledger_posting": ("id", "transaction_id", "account", "amount_minor", "currency"),
    "payment_instruction": (
        "id", "contract_id", "kind", "beneficiary_organisation_id", "amount_minor", "currency", "idempotency_key",
        "status", "created_at", "confirmed_at", "confirmed_by_user_id",
    ),
}  # fmt: skip
# Foreign-key order.
ORDER_TABLES = (
    "production_order",
    "order_invitation",
    "bid",
    "contract",
    "contract_milestone",
    "contract_event",
    "bank_transfer",
    "ledger_transaction",
    "ledger_posting",
    "payment_instruction",
)


@dataclass(slots=True)
class _Milestone:
    """A contract milestone while its contract's steps are played: pending until released or refunded."""

    id: UUID
    share: ledger.MilestoneShare
    status: str = "pending"
    settled_at: datetime | None = None

    def settle(self, status: str, at: datetime) -> None:
        self.status, self.settled_at = status, at


class DatabaseNotEmpty(RuntimeError):
    """A profile loads into an empty database only."""


@dataclass(slots=True)
class Org:
    id: UUID
    user_id: UUID
    region: str
    capability: Any


@dataclass(slots=True)
class Rows:
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.tables[table].append(row)


class Generator:
    """Orders, bids and contracts from one random stream."""

    def __init__(
        self, profile: Profile, random_seed: int, now: datetime, buyers: list[Org], makers: list[Org], operator: UUID
    ) -> None:
        self.profile = profile
        self.rng = random.Random(random_seed)
        self.now = now
        self.today = now.date()
        self.buyers = buyers
        self.operator = operator
        self.by_process: dict[str, list[Org]] = defaultdict(list)
        for maker in makers:
            for name in maker.capability.processes:
                self.by_process[name].append(maker)
        drafts = ORDER_STATUS_WEIGHTS[OrderStatus.draft] / sum(ORDER_STATUS_WEIGHTS.values())
        # Bid rows per non-draft order, less the ~4 % that revisions add.
        self.mean_bidders = profile.bids / max(1, profile.orders * (1 - drafts)) / 1.04
        self.statuses = list(ORDER_STATUS_WEIGHTS)
        self.status_weights = list(ORDER_STATUS_WEIGHTS.values())
        self.states = list(CONTRACT_STATE_WEIGHTS)
        self.state_weights = list(CONTRACT_STATE_WEIGHTS.values())
        self.specialisms = list(demo.SPECIALISM_WEIGHTS)
        self.specialism_weights = list(demo.SPECIALISM_WEIGHTS.values())
        self.tolerances = list(ToleranceClass)
        self.counts: dict[str, int] = defaultdict(int)

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def _days(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=self.rng.uniform(low, high) * 86_400)

    # Orders ----------------------------------------------------------------------------------

    def orders(self, count: int) -> Rows:
        rows = Rows()
        for _ in range(count):
            self._order(rows)
        for table, items in rows.tables.items():
            self.counts[table] += len(items)
        return rows

    def _order(self, rows: Rows) -> None:
        rng = self.rng
        buyer = self.buyers[rng.randrange(len(self.buyers))]
        status = rng.choices(self.statuses, self.status_weights)[0]
        name = rng.choices(self.specialisms, self.specialism_weights)[0]
        specialism = demo.SPECIALISMS[name]
        process = rng.choice(specialism.processes)
        process_name = process.value
        material = rng.choice(demo.SPECIALISMS[demo._PROCESS_SPECIALISM[process]].materials)
        quantity = rng.choice([q for q in demo.ORDER_QUANTITIES if q <= specialism.max_order_quantity])
        roll = rng.random()
        required: list[str] = []
        if roll < 0.15:
            required = [CertificationStandard.iso_9001.value]
        elif roll < 0.18:
            required = [CertificationStandard.gost_r_iso_9001.value]
        visibility = Visibility.invited if rng.random() < 0.08 else Visibility.public
        unit_price_rub = specialism.unit_price_rub * rng.uniform(0.5, 2.0) * quantity**-0.12
        tooling_rub = demo.TOOLING_RUB.get(process, 0) * rng.uniform(0.6, 1.4)
        estimate = unit_price_rub * quantity + tooling_rub
        budget_min = demo._rub(estimate * rng.uniform(0.6, 0.9))
        budget_max = max(budget_min, demo._rub(estimate * rng.uniform(1.1, 1.5)))
        region = buyer.region if rng.random() < 0.7 else rng.choices(REGION_NAMES, REGION_WEIGHTS)[0]

        # Times: open orders are recent with a deadline ahead; closed ones lie in the past.
        now = self.now
        contract_state: ContractStatus | None = None
        path: list[str] = []
        step_times: list[datetime] = []
        closed_at: datetime | None = None
        if status == OrderStatus.open:
            published = now - self._days(0.01, 20)
            deadline = now + self._days(2, 30)
        elif status == OrderStatus.draft:
            published = None
            deadline = now + self._days(5, 40)
        elif status == OrderStatus.awarded:
            contract_state = rng.choices(self.states, self.state_weights)[0]
            path = rng.choice(PATHS[contract_state])
            step_times = self._step_times(contract_state, path)
            closed_at = step_times[0]
            published = closed_at - self._days(1, 20)
            # Around the award (awards may come early); the bids stay valid a week past it, so the award was valid.
            deadline = max(published + timedelta(days=1), closed_at + self._days(-5, 5))
        elif status == OrderStatus.cancelled:
            published = now - self._days(5, 400)
            deadline = published + self._days(3, 30)
            closed_at = published + (min(deadline, now) - published) * rng.random()
        else:  # expired: nobody awarded within the award window after the deadline
            published = now - self._days(70, 420)
            deadline = published + self._days(3, 30)
            closed_at = deadline + timedelta(days=30) + self._days(0, 1)
        created = (published or now) - self._days(0.003, 3)
        need_by = deadline.date() + timedelta(days=rng.randint(14, 150))
        requirement = Requirement(process_name, quantity, required, need_by)
        bidders = self._bidders(requirement, buyer) if status != OrderStatus.draft else []
        if status == OrderStatus.awarded and not bidders:
            status = OrderStatus.cancelled  # no shop fits: the buyer gave up on it at what was the award time
        order_id = self.uuid()
        rows.add(
            "production_order",
            (
                order_id,
                buyer.id,
                buyer.user_id,
                status.value,
                visibility.value,
                f"{rng.choice(specialism.parts)}, {material}, {quantity} шт.",
                f"Изготовление по чертежам заказчика ({process_name}). Материал: {material}. Доставка: {region}.",
                process_name,
                material,
                quantity,
                rng.choice(self.tolerances).value,
                required,
                need_by,
                region,
                budget_min,
                budget_max,
                demo.CURRENCY,
                deadline,
                None,
                published,
                closed_at,
                "Потребность отпала." if status == OrderStatus.cancelled else "",
                created,
                closed_at or published or created,
                False,  # awarded whole (split awards are not generated)
                quantity if status == OrderStatus.awarded else 0,
            ),
        )
        if status == OrderStatus.draft:
            return

        if visibility == Visibility.invited:
            invited = {b.id: b for b in bidders}
            candidates = self.by_process.get(process_name) or []
            for _ in range(rng.randint(0, 2)):
                if candidates:
                    other = candidates[rng.randrange(len(candidates))]
                    if other.id != buyer.id:
                        invited.setdefault(other.id, other)
            for org in invited.values():
                rows.add("order_invitation", (order_id, org.id, published))
        if not bidders:
            return
        assert published is not None
        last_bid_at = min(deadline, closed_at or now, now)
        winner = rng.randrange(len(bidders)) if status == OrderStatus.awarded else -1
        for index, bidder in enumerate(bidders):
            bid_status = {
                OrderStatus.open: BidStatus.active,
                OrderStatus.awarded: BidStatus.accepted if index == winner else BidStatus.rejected,
                OrderStatus.cancelled: BidStatus.rejected,
                OrderStatus.expired: BidStatus.expired,
            }[status]
            if index != winner and rng.random() < 0.04:
                bid_status = BidStatus.withdrawn
            placed = published + (last_bid_at - published) * rng.random()
            if status == OrderStatus.awarded:
                assert closed_at is not None  # an awarded order was closed by its award
                placed = min(placed, closed_at - timedelta(minutes=5))
            revised = rng.random() < 0.04
            previous = None
            if revised:
                previous = self._bid(
                    rows,
                    order_id,
                    bidder,
                    BidStatus.superseded,
                    1,
                    None,
                    quantity,
                    unit_price_rub,
                    tooling_rub,
                    deadline,
                    placed,
                    placed + (last_bid_at - placed) * 0.5,
                )
            bid_time = placed + (last_bid_at - placed) * 0.5 if revised else placed
            updated = {
                BidStatus.active: bid_time,
                BidStatus.accepted: closed_at,
                BidStatus.rejected: closed_at,
                BidStatus.expired: closed_at,
                BidStatus.withdrawn: bid_time + (last_bid_at - bid_time) * rng.random(),
            }[bid_status]
            assert updated is not None  # only the bids of a closed order take its closing time
            bid_id = self._bid(
                rows,
                order_id,
                bidder,
                bid_status,
                2 if revised else 1,
                previous,
                quantity,
                unit_price_rub,
                tooling_rub,
                deadline,
                bid_time,
                updated,
            )
            if index == winner:
                assert contract_state is not None  # drawn with the award above
                self._contract(rows, contract_state, path, step_times, order_id, buyer, bidder, bid_id, quantity)

    def _bidders(self, requirement: Requirement, buyer: Org) -> list[Org]:
        rng = self.rng
        candidates = self.by_process.get(requirement.process) or []
        if not candidates:
            return []
        wanted = max(1, round(rng.uniform(0.2, 1.8) * self.mean_bidders))
        seen: set[UUID] = set()
        found: list[Org] = []
        for _ in range(wanted * 4):
            if len(found) == wanted or len(seen) == len(candidates):
                break
            candidate = candidates[rng.randrange(len(candidates))]
            if candidate.id in seen:
                continue
            seen.add(candidate.id)
            if candidate.id != buyer.id and not fit_problems(candidate.capability, requirement):
                found.append(candidate)
        return found

    def _bid(
        self,
        rows: Rows,
        order_id: UUID,
        bidder: Org,
        status: BidStatus,
        revision: int,
        previous: UUID | None,
        quantity: int,
        unit_price_rub: float,
        tooling_rub: float,
        deadline: datetime,
        created: datetime,
        updated: datetime,
    ) -> UUID:
        rng = self.rng
        unit = max(100, demo._rub(unit_price_rub * rng.uniform(0.75, 1.3)))
        tooling = demo._rub(tooling_rub * rng.uniform(0.7, 1.3))
        bid_id = self.uuid()
        rows.add(
            "bid",
            (
                bid_id,
                order_id,
                bidder.id,
                bidder.user_id,
                status.value,
                revision,
                previous,
                unit,
                tooling,
                unit * quantity + tooling,
                demo.CURRENCY,
                rng.randint(5, 90),
                deadline.date() + timedelta(days=rng.randint(7, 45)),
                "" if rng.random() < 0.7 else "Цена с НДС.",
                created,
                updated,
                quantity,
            ),
        )
        return bid_id

    # Contracts -------------------------------------------------------------------------------

    def _step_times(self, state: ContractStatus, path: list[str]) -> list[datetime]:
        """One time per step, oldest first. Each wait is shorter than its timer's window, except where the
        timer took the step; a waiting state's last step is recent enough that no timer is due yet."""
        last = self.now - (self._days(1, 300) if state in process.FINAL_STATES else self._days(0.02, 5))
        times = [last]
        for name in reversed(path[1:]):
            if name == "funding_expired":
                gap = POLICY.funding_window + self._days(0, 0.5)
            elif name == "auto_accept":
                gap = POLICY.inspection_period + self._days(0, 0.5)
            else:
                gap = self._days(0.5, 6)
            times.append(times[-1] - gap)
        times.reverse()
        return times

    def _contract(
        self,
        rows: Rows,
        state: ContractStatus,
        path: list[str],
        times: list[datetime],
        order_id: UUID,
        buyer: Org,
        maker: Org,
        bid_id: UUID,
        quantity: int,
    ) -> None:
        rng = self.rng
        bid_row = rows.tables["bid"][-1]
        total = bid_row[9]
        fee = ledger.platform_fee(total, POLICY.platform_fee_bps)
        contract_id = self.uuid()
        escrow = ledger.escrow(contract_id)
        milestones = [
            _Milestone(self.uuid(), share)
            for share in ledger.milestone_plan(total, fee, POLICY.first_article_share_pct)
        ]
        users = {
            Party.buyer: buyer.user_id,
            Party.manufacturer: maker.user_id,
            Party.operator: self.operator,
            Party.timer: None,
        }
        held = 0
        tracking = ""
        status: ContractStatus | None = None
        due_at: datetime | None = None

        def post(kind: str, key: str, postings: list[ledger.Posting], at: datetime, reference: str = "") -> None:
            ledger.check_balanced(postings)
            transaction_id = self.uuid()
            rows.add("ledger_transaction", (transaction_id, contract_id, kind, key, reference, at))
            for posting in postings:
                rows.add(
                    "ledger_posting",
                    (self.uuid(), transaction_id, posting.account, posting.amount_minor, posting.currency),
                )

        def instruct(kind: InstructionKind, beneficiary: UUID, amount: int, key: str, at: datetime) -> str:
            instruction_id = self.uuid()
            confirmed = state == S.completed
            rows.add(
                "payment_instruction",
                (
                    instruction_id,
                    contract_id,
                    kind.value,
                    beneficiary,
                    amount,
                    demo.CURRENCY,
                    key,
                    (InstructionStatus.confirmed if confirmed else InstructionStatus.pending).value,
                    at,
                    at + timedelta(days=1) if confirmed else None,
                    self.operator if confirmed else None,
                ),
            )
            return str(instruction_id)

        def release(milestone: _Milestone, amount: int, fee_part: int, at: datetime) -> None:
            nonlocal held
            if not amount:
                return
            net = amount - fee_part
            postings = [ledger.Posting(escrow, -amount, demo.CURRENCY)]
            if net:
                postings.append(ledger.Posting(ledger.manufacturer_payable(maker.id), net, demo.CURRENCY))
            if fee_part:
                postings.append(ledger.Posting(ledger.PLATFORM_FEES, fee_part, demo.CURRENCY))
            reference = instruct(InstructionKind.payout, maker.id, net, f"payout:{milestone.id}", at) if net else ""
            post("release", f"release:{milestone.id}", postings, at, reference)
            held -= amount

        def refund_all(step: str, at: datetime) -> int:
            nonlocal held
            amount = held
            if amount > 0:
                key = f"refund:{contract_id}:{step}"
                reference = instruct(InstructionKind.refund, buyer.id, amount, key, at)
                post(
                    "refund",
                    key,
                    [
                        ledger.Posting(escrow, -amount, demo.CURRENCY),
                        ledger.Posting(ledger.buyer_refunds(buyer.id), amount, demo.CURRENCY),
                    ],
                    at,
                    reference,
                )
                held = 0
            return amount

        taken: list[tuple[str, ContractStatus]] = []
        for name, at in zip(path, times, strict=True):
            party = PARTY_OF[name]
            decision = process.apply(status, name, party, at, passed=process.passed_reviews(taken))
            taken.append((name, decision.to_status))
            payload: dict[str, Any] = {"party": party.value}
            pending = [m for m in milestones if m.status == "pending"]
            if name == "award":
                payload |= {
                    "bid_id": str(bid_id),
                    "total_minor": total,
                    "platform_fee_minor": fee,
                    "currency": demo.CURRENCY,
                }
            elif name == "fund":
                transfer = f"SEED-{contract_id.hex[:16].upper()}"
                rows.add(
                    "bank_transfer",
                    (self.uuid(), contract_id, transfer, total, demo.CURRENCY, at.date(), self.operator, at),
                )
                post(
                    "fund",
                    f"bank:{transfer}",
                    [
                        ledger.Posting(ledger.buyer_funding(buyer.id), -total, demo.CURRENCY),
                        ledger.Posting(escrow, total, demo.CURRENCY),
                    ],
                    at,
                    transfer,
                )
                held += total
                payload["bank_transaction_id"] = transfer
            elif name in ("approve_first_article", "accept", "auto_accept"):
                due = (
                    [m for m in pending if m.share.trigger == "approve_first_article"]
                    if name == "approve_first_article"
                    else pending
                )
                for milestone in due:
                    release(milestone, milestone.share.amount_minor, milestone.share.fee_minor, at)
                    milestone.settle("released", at)
                payload["released_minor"] = sum(m.share.amount_minor for m in due)
            elif name == "resolve":
                left = held * rng.randint(3, 10) // 10
                payload_release = left
                released = 0
                for milestone in pending:
                    share = milestone.share
                    amount = min(left, share.amount_minor)
                    release(milestone, amount, ledger.fee_for(amount, share.amount_minor, share.fee_minor), at)
                    left -= amount
                    released += amount
                    milestone.settle("released" if amount == share.amount_minor else "refunded", at)
                refunded = refund_all(name, at)
                payload |= {"released_minor": released, "refunded_minor": refunded, "note": "Решение оператора."}
                assert released == payload_release
            elif name in ("cancel", "operator_cancel", "funding_expired"):
                for milestone in pending:
                    milestone.settle("refunded", at)
                payload["refunded_minor"] = refund_all(name, at)
                if name != "funding_expired":
                    payload["reason"] = "Отмена по соглашению сторон."
            elif name == "ship":
                tracking = f"TRK{rng.randrange(10**9):09d}"
                payload["tracking_reference"] = tracking
            elif name in ("reject_first_article", "dispute"):
                payload["reason"] = "Несоответствие чертежу."
            rows.add(
                "contract_event",
                (
                    self.uuid(),
                    contract_id,
                    name,
                    users[party],
                    decision.from_status.value if decision.from_status else None,
                    decision.to_status.value,
                    orjson.dumps(payload).decode(),
                    at,
                ),
            )
            status = decision.to_status
            window = {
                S.pending_funding: POLICY.funding_window,
                S.shipped: POLICY.delivery_confirmation_window,
                S.inspection: POLICY.inspection_period,
            }.get(status)
            due_at = at + window if window is not None else None
        assert status == state, (status, state, path)
        code = "".join(rng.choice(ALPHABET) for _ in range(10))
        rows.add(
            "contract",
            (
                contract_id,
                order_id,
                bid_id,
                buyer.id,
                maker.id,
                status.value,
                quantity,
                total,
                demo.CURRENCY,
                fee,
                "bank_transfer",
                f"CPX-{code[:5]}-{code[5:]}",
                due_at,
                tracking,
                times[0],
                times[-1],
            ),
        )
        for milestone in milestones:
            share = milestone.share
            rows.add(
                "contract_milestone",
                (
                    milestone.id,
                    contract_id,
                    share.position,
                    share.name,
                    share.trigger,
                    share.amount_minor,
                    share.fee_minor,
                    milestone.status,
                    milestone.settled_at,
                ),
            )


REGION_NAMES = list(REGIONS_73)
REGION_WEIGHTS = list(REGIONS_73.values())


def _organisation_rows(profile: Profile, random_seed: int, now: datetime, password_hash: str) -> demo.Plan:
    plan = demo.Plan()
    plan.add(
        demo.USER_TABLE,
        {
            "id": demo._id("user:operator"),
            "email": demo.OPERATOR_EMAIL,
            "full_name": "Demo operator",
            "password_hash": password_hash,
            "is_operator": True,
            "created_at": now,
        },
    )
    for number in tqdm(range(1, profile.organisations + 1), desc="plan organisations", unit="org", leave=False):
        demo._plan_organisation(plan, random_seed, number, now, password_hash, regions=REGIONS_73)
    return plan


def _tuples(table: str, rows: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    columns = COLUMNS[table]
    for row in rows:
        yield tuple(_plain(row.get(c)) for c in columns)


def _plain(value: Any) -> Any:
    # Enum members (StrEnum) go in as their values; the columns are checked VARCHARs.
    if isinstance(value, str) and type(value) is not str:
        return str(value.value) if hasattr(value, "value") else str(value)
    return value


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _copy(conn: asyncpg.Connection, table: str, records: list[tuple[Any, ...]], bar: tqdm) -> None:
    if records:
        await conn.copy_records_to_table(table, records=records, columns=list(COLUMNS[table]))
        bar.update(len(records))


async def _refresh_records(url: str, now: datetime) -> None:
    """The rows were copied in directly: derive the manufacturers' records from them (matching reads them)."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as conn:
            await refresh_records(AsyncSession(bind=conn), None, now)
    finally:
        await engine.dispose()


async def seed_profile(url: str, *, profile: Profile, random_seed: int = 42, progress: bool = True) -> str:
    """Load `profile` into the empty database at `url`; return a summary with the counts and the time."""
    started = clock.perf_counter()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    conn = await asyncpg.connect(_dsn(url), server_settings={"timezone": "UTC"})
    try:
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM organisation)"):
            raise DatabaseNotEmpty(
                "the database already holds organisations: a profile loads into an empty database only "
                "(point EXCHANGE_DATA_DIR or EXCHANGE_DATABASE_URL at a fresh one)"
            )
        password_hash = await hash_password(demo.DEMO_PASSWORD)
        plan = _organisation_rows(profile, random_seed, now, password_hash)
        orgs = [
            Org(
                p.id,
                p.user_id,
                p.region,
                p.capability,
            )
            for p in plan.organisations
        ]
        buyers = [o for o, p in zip(orgs, plan.organisations, strict=True) if p.kind.buys]
        makers = [o for o in orgs if o.capability is not None]
        operator = demo._id("user:operator")
        generator = Generator(profile, random_seed, now, buyers, makers, operator)
        bar = tqdm(desc=f"seed {profile.name}", unit="row", unit_scale=True, file=sys.stderr, disable=not progress)
        counts: dict[str, int] = {}
        async with conn.transaction():
            await conn.execute("SET LOCAL synchronous_commit = off")
            for table in demo.TABLES[:6]:
                records = list(_tuples(table.name, plan.rows[table.name]))
                counts[table.name] = len(records)
                await _copy(conn, table.name, records, bar)
            del plan
            done = 0
            while done < profile.orders:
                size = min(CHUNK_ORDERS, profile.orders - done)
                rows = generator.orders(size)
                for table_name in ORDER_TABLES:
                    await _copy(conn, table_name, rows.tables.get(table_name, []), bar)
                done += size
                bar.set_postfix(orders=done)
            await conn.execute("ANALYZE")
        bar.close()
        counts |= generator.counts
    finally:
        await conn.close()
    await _refresh_records(url, now)
    seconds = clock.perf_counter() - started
    listed = ", ".join(f"{counts.get(t, 0):,} {t}" for t in ("organisation", "production_order", "bid", "contract"))
    return (
        f"profile {profile.name} (random seed {random_seed}): {listed}; {sum(counts.values()):,} rows in "
        f"{seconds:.1f} s. Sign in as {demo.admin_email(1)} … {demo.admin_email(profile.organisations)} or "
        f"{demo.OPERATOR_EMAIL} with password {demo.DEMO_PASSWORD}. Run `exchange search reindex` next."
    )
