# The demo text is Russian on purpose (the exchange is Russian): Cyrillic letters are not typos here.
# ruff: noqa: RUF001
"""Demo data: organisations, users, manufacturer profiles, open orders and bids (`exchange seed`).

Idempotent: every row has a deterministic UUID (uuid5 over a fixed namespace and a key such as
"org:17") and goes in with INSERT ... ON CONFLICT DO NOTHING, so a second run writes nothing.

Each entity draws from its own `random.Random` seeded with the seed and its key rather than from one
shared stream: then organisation 17 is the same whether 200 or 2000 are seeded, and a later run with
more organisations agrees with the rows already there (a bid stays valid against the profile it was
checked against). Dates are offsets from today, so the fit checks decide the same way on every run.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid5

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from tqdm import tqdm

from domain.actor import Role
from domain.bids.models import Bid, BidStatus
from domain.columns import table_of
from domain.identity.models import User
from domain.identity.passwords import hash_password
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.manufacturers.rules import Capability, Requirement, fit_problems
from domain.matching.models import ManufacturerRecord, MatchCandidate
from domain.matching.records import refresh_records
from domain.orders.models import OrderInvitation, OrderStatus, ProductionOrder, Visibility
from domain.organisations.legal_rules import bin_is_valid, inn_is_valid, unp_is_valid
from domain.organisations.models import Membership, MembershipKind, Organisation, OrganisationKind
from domain.organisations.rules import LegalIdKind, legal_id_kind
from domain.vocabulary import CertificationStandard, Process, ToleranceClass
from exchange.db import create_engine

DEMO_PASSWORD = "demo-password-1"
OPERATOR_EMAIL = "operator@exchange.demo"
CURRENCY = "RUB"
BATCH_SIZE = 1000

NAMESPACE = uuid5(UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8"), "https://contract-exchange.demo/seed")

ORGANISATION_TABLE = table_of(Organisation)
USER_TABLE = table_of(User)
MEMBERSHIP_TABLE = table_of(Membership)
PROFILE_TABLE = table_of(ManufacturerProfile)
CERTIFICATION_TABLE = table_of(Certification)
CAPACITY_TABLE = table_of(CapacityListing)
ORDER_TABLE = table_of(ProductionOrder)
INVITATION_TABLE = table_of(OrderInvitation)
BID_TABLE = table_of(Bid)

# Parents before children, the order the foreign keys need.
TABLES: tuple[Table, ...] = (
    ORGANISATION_TABLE,
    USER_TABLE,
    MEMBERSHIP_TABLE,
    PROFILE_TABLE,
    CERTIFICATION_TABLE,
    CAPACITY_TABLE,
    ORDER_TABLE,
    INVITATION_TABLE,
    BID_TABLE,
)

# ISO 3166-2 subdivisions with a weight: the Moscow cluster is mostly Moscow and the industrial regions.
REGIONS: dict[str, int] = {
    "RU-MOW": 30,
    "RU-MOS": 10,
    "RU-SPE": 8,
    "RU-LEN": 3,
    "RU-SVE": 5,
    "RU-TA": 4,
    "RU-NIZ": 4,
    "RU-SAM": 3,
    "RU-NVS": 3,
    "RU-KDA": 2,
    "RU-PER": 3,
    "RU-BA": 2,
    "RU-CHE": 3,
    "RU-ROS": 2,
    "RU-VOR": 2,
    "RU-KGD": 1,
    "RU-TUL": 2,
    "RU-YAR": 2,
    "RU-KLU": 2,
    "RU-ULY": 2,
    "RU-UD": 2,
    "RU-OMS": 1,
    "RU-TOM": 1,
    "RU-IRK": 1,
    "RU-KYA": 1,
    "RU-VGG": 1,
    "RU-SAR": 1,
    "RU-TYU": 1,
    "RU-BEL": 1,
    "RU-VLA": 1,
}


@dataclass(frozen=True, slots=True)
class Specialism:
    """A family of processes that shops combine, with the materials and parts that go with it."""

    processes: tuple[Process, ...]
    materials: tuple[str, ...]
    parts: tuple[str, ...]
    # A rough unit price in roubles for one part, before the volume discount.
    unit_price_rub: int
    max_order_quantity: int


SPECIALISMS: dict[str, Specialism] = {
    "machining": Specialism(
        (Process.cnc_milling, Process.cnc_turning, Process.grinding, Process.edm, Process.heat_treatment),
        ("aluminium d16t", "aluminium amg6", "steel 45", "steel 40x", "stainless 12x18n10t", "titanium vt6"),
        ("Корпус редуктора", "Вал приводной", "Фланец переходной", "Втулка направляющая", "Кронштейн"),
        3000,
        5000,
    ),
    "sheet_metal": Specialism(
        (
            Process.laser_cutting,
            Process.sheet_metal,
            Process.welding,
            Process.stamping,
            Process.waterjet_cutting,
            Process.surface_finishing,
        ),
        ("steel 08ps", "galvanised steel", "stainless aisi 304", "aluminium amg3"),
        ("Шкаф электротехнический", "Кожух защитный", "Панель лицевая", "Кронштейн гнутый", "Рама"),
        1500,
        20000,
    ),
    "casting": Specialism(
        (
            Process.sand_casting,
            Process.investment_casting,
            Process.die_casting,
            Process.forging,
            Process.extrusion,
            Process.heat_treatment,
        ),
        ("cast iron sch20", "aluminium ak12", "steel 35l", "bronze brazh9-4", "aluminium ad31"),
        ("Корпус насоса", "Крышка подшипника", "Маховик", "Рычаг", "Профиль несущий"),
        2500,
        20000,
    ),
    "plastics": Specialism(
        (Process.injection_molding, Process.extrusion, Process.three_d_printing_fdm, Process.assembly),
        ("abs", "pa6", "pa6-gf30", "polycarbonate", "polypropylene", "pom"),
        ("Корпус прибора", "Крышка батарейного отсека", "Ручка", "Заглушка", "Клипса"),
        80,
        100000,
    ),
    "additive": Specialism(
        (
            Process.three_d_printing_fdm,
            Process.three_d_printing_sla,
            Process.three_d_printing_sls,
            Process.three_d_printing_mjf,
            Process.three_d_printing_dmls,
            Process.surface_finishing,
        ),
        ("pla", "petg", "pa12", "photopolymer resin", "316l powder", "ti6al4v powder"),
        ("Прототип корпуса", "Оснастка сборочная", "Кронштейн облегчённый", "Макет", "Импеллер"),
        2500,
        500,
    ),
    "electronics": Specialism(
        (Process.pcb_fabrication, Process.pcb_assembly, Process.cable_harness, Process.assembly),
        ("fr-4", "rogers 4350b", "smd components", "pvc-insulated copper wire"),
        ("Плата управления", "Плата питания", "Жгут проводов", "Модуль связи", "Блок индикации"),
        900,
        50000,
    ),
}
SPECIALISM_WEIGHTS: dict[str, int] = {
    "machining": 35,
    "sheet_metal": 25,
    "casting": 12,
    "plastics": 12,
    "additive": 8,
    "electronics": 8,
}
# A process belongs to its first specialism; processes no specialism names still get seeded.
_PROCESS_SPECIALISM: dict[Process, str] = {}
for _name, _specialism in SPECIALISMS.items():
    for _process in _specialism.processes:
        _PROCESS_SPECIALISM.setdefault(_process, _name)
for _process in Process:
    _PROCESS_SPECIALISM.setdefault(_process, "machining")

# Tooling (moulds, dies) an order in these processes pays for once, in roubles.
TOOLING_RUB: dict[Process, int] = {
    Process.injection_molding: 450_000,
    Process.die_casting: 800_000,
    Process.stamping: 250_000,
    Process.forging: 300_000,
    Process.investment_casting: 150_000,
    Process.extrusion: 200_000,
    Process.sand_casting: 80_000,
}

# Probability that a manufacturer holds each standard (electronics shops: IPC-A-610 far more often).
CERTIFICATION_ODDS: dict[CertificationStandard, float] = {
    CertificationStandard.iso_9001: 0.65,
    CertificationStandard.gost_r_iso_9001: 0.35,
    CertificationStandard.iso_14001: 0.2,
    CertificationStandard.iso_45001: 0.15,
    CertificationStandard.gost_rv_0015_002: 0.12,
    CertificationStandard.iatf_16949: 0.08,
    CertificationStandard.iso_13485: 0.06,
    CertificationStandard.as9100: 0.05,
    CertificationStandard.nadcap: 0.03,
    CertificationStandard.ipc_a_610: 0.03,
}
CERTIFICATION_BODIES = ("Русский Регистр", "ТЮФ Интернационал РУС", "Бюро Веритас Русь", "ВНИИС", "DQS")

LEGAL_FORMS = ("ООО", "ООО", "ООО", "АО", "ПАО", "НПО")
NAME_STEMS = (
    "Техно", "Урал", "Волга", "Сибирь", "Север", "Прогресс", "Альфа", "Вектор", "Меридиан", "Кама",
    "Нева", "Ока", "Енисей", "Дон", "Алмаз", "Титан", "Гранит", "Импульс", "Орбита", "Спектр",
    "Каскад", "Квант", "Полюс", "Ресурс", "Старт", "Эталон", "Феникс", "Форма", "Контур", "Профиль",
)  # fmt: skip
NAME_TAILS = (
    "маш", "пром", "лит", "сталь", "пласт", "тех", "комплект", "металл", "приборы", "деталь",
    "инжиниринг", "завод", "мех", "электро", "систем",
)  # fmt: skip
FIRST_NAMES = ("Алексей", "Мария", "Дмитрий", "Елена", "Сергей", "Ольга", "Андрей", "Наталья", "Иван", "Анна")
LAST_NAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков", "Морозов", "Волков")

ORDER_QUANTITIES = (1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10000, 50000)
PROFILE_MIN_QUANTITIES = (1, 1, 1, 1, 5, 10, 50, 100)
PROFILE_MAX_QUANTITIES = (None, None, 100, 500, 1000, 5000, 20000, 100000)


class SeedMismatch(RuntimeError):
    """The database already holds demo rows generated from another random seed."""


def _id(key: str) -> UUID:
    return uuid5(NAMESPACE, key)


def _rng(random_seed: int, key: str) -> random.Random:
    # A str seed is hashed with SHA-512: stable across processes and Python versions.
    return random.Random(f"{random_seed}:{key}")


T = TypeVar("T")


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _rub(amount: float) -> int:
    """Roubles -> kopecks, rounded to whole roubles."""
    return round(amount) * 100


def _at(today: date, days: int, hour: int) -> datetime:
    return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=UTC)


@dataclass(slots=True)
class OrganisationPlan:
    number: int
    id: UUID
    user_id: UUID
    kind: OrganisationKind
    region: str
    capability: Capability | None


@dataclass(slots=True)
class OrderPlan:
    key: str
    id: UUID
    buyer: OrganisationPlan
    status: OrderStatus
    visibility: Visibility
    requirement: Requirement
    bidding_deadline: datetime
    published_at: datetime | None
    unit_price_rub: float
    tooling_rub: float
    allow_split: bool = False


@dataclass(slots=True)
class Plan:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    organisations: list[OrganisationPlan] = field(default_factory=list)
    orders: list[OrderPlan] = field(default_factory=list)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.rows[table.name].append(row)

    def count(self, table: Table) -> int:
        return len(self.rows[table.name])


def admin_email(number: int) -> str:
    return f"admin@org-{number:05d}.demo"


# The check of each country's number, as legal_id_is_valid applies it (called directly: the kind is known once).
_LEGAL_ID_CHECKS = {LegalIdKind.inn: inn_is_valid, LegalIdKind.bin: bin_is_valid, LegalIdKind.unp: unp_is_valid}
# Organisation numbers a seeded registration number tells apart (the 10x profile has 200,000 organisations).
MAX_ORGANISATION_NUMBER = 10**7 - 1


def seeded_legal_id(number: int, region: str) -> str:
    """The registration number seeded organisation `number` states for its region's country, passing today's check
    (domain/organisations/rules.legal_id_is_valid: an ИНН's, a БИН's or an УНП's check digit), the same on every run
    and distinct per number. Russia: a legal entity's 10-digit ИНН in tax region 98, which no inspectorate has (no real
    firm's, and apart from the «99…» numbers seeds wrote before, so that seeding more into such a database adds no
    clash); Kazakhstan: a БИН of a resident legal entity (its 5th digit 4); Belarus: an УНП; elsewhere «DEMO-…»."""
    if not 0 <= number <= MAX_ORGANISATION_NUMBER:
        raise ValueError(f"organisation number {number} is outside 0..{MAX_ORGANISATION_NUMBER}")
    kind = legal_id_kind(region)
    if kind is LegalIdKind.registration_number:
        return f"DEMO-{number:07d}"
    # The number is the last seven digits before the check digit; a spare digit in front of it moves the weighted
    # sum for the БИН and the УНП, whose checks refuse some stems (a remainder of 10), until one is found.
    valid = _LEGAL_ID_CHECKS[kind]
    for spare in range(10):
        stem = {
            LegalIdKind.inn: f"98{number:07d}",
            LegalIdKind.bin: f"064{spare}{number:07d}",
            LegalIdKind.unp: f"{spare}{number:07d}",
        }[kind]
        for check in "0123456789":
            if valid(stem + check):
                return stem + check
    raise AssertionError(f"no {kind} check digit fits organisation {number}")  # pragma: no cover: the weights allow one


def _plan_organisation(
    plan: Plan,
    random_seed: int,
    number: int,
    now: datetime,
    password_hash: str,
    regions: dict[str, int] = REGIONS,
) -> OrganisationPlan:
    rng = _rng(random_seed, f"org:{number}")
    today = now.date()
    org_id, user_id = _id(f"org:{number}"), _id(f"user:{number}")
    kind = rng.choice((OrganisationKind.buyer, OrganisationKind.manufacturer, OrganisationKind.both))
    region = _weighted(rng, regions)
    membership = MembershipKind.participant if rng.random() < 2 / 3 else MembershipKind.regional_partner
    created_at = now - timedelta(days=rng.randint(30, 900), minutes=rng.randint(0, 1439))
    verified = rng.random() < 0.6
    name = f"{rng.choice(LEGAL_FORMS)} «{rng.choice(NAME_STEMS)}{rng.choice(NAME_TAILS)}»"
    plan.add(
        ORGANISATION_TABLE,
        {
            "id": org_id,
            "name": name,
            "legal_id": seeded_legal_id(number, region),
            "region": region,
            "kind": kind,
            "membership": membership,
            "verified": verified,
            "verified_at": created_at + timedelta(days=rng.randint(1, 20)) if verified else None,
            "created_at": created_at,
            "updated_at": created_at,
        },
    )
    plan.add(
        USER_TABLE,
        {
            "id": user_id,
            "email": admin_email(number),
            "full_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "password_hash": password_hash,
            "is_operator": False,
            "created_at": created_at,
        },
    )
    plan.add(
        MEMBERSHIP_TABLE,
        {
            "id": _id(f"membership:{number}"),
            "user_id": user_id,
            "organisation_id": org_id,
            "role": Role.admin,
            "created_at": created_at,
        },
    )
    capability = None
    if kind.manufactures:
        capability = _plan_manufacturer(plan, rng, number, org_id, today, created_at)
    organisation = OrganisationPlan(number, org_id, user_id, kind, region, capability)
    plan.organisations.append(organisation)
    return organisation


def _plan_manufacturer(
    plan: Plan, rng: random.Random, number: int, org_id: UUID, today: date, created_at: datetime
) -> Capability:
    specialisms = [_weighted(rng, SPECIALISM_WEIGHTS)]
    if rng.random() < 0.3:
        specialisms.append(_weighted(rng, SPECIALISM_WEIGHTS))
    pool = sorted({p for s in specialisms for p in SPECIALISMS[s].processes})
    processes = sorted(rng.sample(pool, rng.randint(min(2, len(pool)), min(5, len(pool)))))
    materials = sorted({m for s in specialisms for m in rng.sample(SPECIALISMS[s].materials, 3)})
    min_quantity = rng.choice(PROFILE_MIN_QUANTITIES)
    max_quantity = rng.choice([q for q in PROFILE_MAX_QUANTITIES if q is None or q >= min_quantity])
    envelope = rng.choice((200, 400, 600, 1000, 2000, 4000))
    plan.add(
        PROFILE_TABLE,
        {
            "organisation_id": org_id,
            "processes": [str(p) for p in processes],
            "materials": materials,
            "max_part_x_mm": envelope,
            "max_part_y_mm": envelope * rng.choice((1, 1, 2)) // 2 or 1,
            "max_part_z_mm": envelope * rng.choice((1, 2)) // 4 or 1,
            "min_quantity": min_quantity,
            "max_quantity": max_quantity,
            "description": f"Специализация: {', '.join(specialisms)}. Материалы: {', '.join(materials)}.",
            "updated_at": created_at,
        },
    )

    certifications: dict[str, date] = {}
    electronics = "electronics" in specialisms
    for standard, odds in CERTIFICATION_ODDS.items():
        if standard == CertificationStandard.ipc_a_610 and electronics:
            odds = 0.6
        if rng.random() >= odds:
            continue
        # About one in ten has lapsed: the fit check must skip those shops.
        days = -rng.randint(1, 400) if rng.random() < 0.1 else rng.randint(30, 1100)
        valid_until = today + timedelta(days=days)
        certifications[standard] = valid_until
        plan.add(
            CERTIFICATION_TABLE,
            {
                "id": _id(f"certification:{number}:{standard}"),
                "organisation_id": org_id,
                "standard": str(standard),
                "certificate_number": f"{standard.upper()}-{number:05d}-{rng.randint(1000, 9999)}",
                "issued_by": rng.choice(CERTIFICATION_BODIES),
                "valid_until": valid_until,
                "created_at": created_at,
            },
        )

    for index, process in enumerate(rng.sample(processes, rng.randint(1, min(3, len(processes))))):
        available_from = today - timedelta(days=rng.randint(0, 14))
        plan.add(
            CAPACITY_TABLE,
            {
                "id": _id(f"capacity:{number}:{index}"),
                "organisation_id": org_id,
                "process": str(process),
                "machine_hours_per_week": rng.choice((20, 40, 60, 80, 120, 160, 240, 400)),
                "available_from": available_from,
                "available_to": available_from + timedelta(days=rng.randint(30, 180)),
                "hourly_rate_minor": _rub(rng.randint(15, 80) * 100),
                "currency": CURRENCY,
                "created_at": created_at,
            },
        )
    return Capability(
        processes=[str(p) for p in processes],
        min_quantity=min_quantity,
        max_quantity=max_quantity,
        certifications=certifications,
    )


def _plan_orders(plan: Plan, random_seed: int, buyer: OrganisationPlan, now: datetime) -> None:
    rng = _rng(random_seed, f"orders:{buyer.number}")
    today = now.date()
    # 0.75 orders per buying organisation on average; two in three organisations buy: ~orgs / 2.
    count = rng.choices((0, 1, 2, 3), weights=(45, 40, 10, 5))[0]
    for index in range(count):
        key = f"{buyer.number}:{index}"
        specialism_name = _weighted(rng, SPECIALISM_WEIGHTS)
        specialism = SPECIALISMS[specialism_name]
        process = rng.choice(specialism.processes)
        material = rng.choice(SPECIALISMS[_PROCESS_SPECIALISM[process]].materials)
        quantity = rng.choice([q for q in ORDER_QUANTITIES if q <= specialism.max_order_quantity])
        required: list[str] = []
        roll = rng.random()
        if roll < 0.2:
            required = [CertificationStandard.iso_9001]
        elif roll < 0.25:
            required = [CertificationStandard.gost_r_iso_9001]
        elif roll < 0.3:
            required = [rng.choice(list(CERTIFICATION_ODDS))]
        if specialism_name == "electronics" and rng.random() < 0.3:
            required.append(CertificationStandard.ipc_a_610)
        required = sorted({str(s) for s in required})
        status = OrderStatus.draft if rng.random() < 0.08 else OrderStatus.open
        visibility = Visibility.invited if rng.random() < 0.1 else Visibility.public
        created_at = now - timedelta(days=rng.randint(0, 14), minutes=rng.randint(0, 1439))
        published_at = (
            min(now, created_at + timedelta(minutes=rng.randint(5, 240))) if status == OrderStatus.open else None
        )
        bidding_deadline = _at(today, rng.randint(2, 30), rng.choice((12, 15, 18)))
        need_by = bidding_deadline.date() + timedelta(days=rng.randint(14, 150))
        unit_price_rub = specialism.unit_price_rub * rng.uniform(0.5, 2.0) * quantity**-0.12
        tooling_rub = TOOLING_RUB.get(process, 0) * rng.uniform(0.6, 1.4)
        estimate = unit_price_rub * quantity + tooling_rub
        budget_min = _rub(estimate * rng.uniform(0.6, 0.9))
        budget_max = max(budget_min, _rub(estimate * rng.uniform(1.1, 1.5)))
        delivery_region = buyer.region if rng.random() < 0.7 else _weighted(rng, REGIONS)
        order_id = _id(f"order:{key}")
        # Its own generator, so that adding it left every other drawn value as it was.
        allow_split = quantity >= 100 and _rng(random_seed, f"split:{key}").random() < 0.25
        plan.add(
            ORDER_TABLE,
            {
                "id": order_id,
                "buyer_organisation_id": buyer.id,
                "created_by_user_id": buyer.user_id,
                "status": status,
                "visibility": visibility,
                "title": f"{rng.choice(specialism.parts)}, {material}, {quantity} шт.",
                "description": (
                    f"Изготовление по чертежам заказчика ({process}). Материал: {material}. "
                    f"Доставка: {delivery_region}."
                ),
                "process": str(process),
                "material": material,
                "quantity": quantity,
                "tolerance_class": rng.choice(list(ToleranceClass)),
                "required_certifications": required,
                "need_by": need_by,
                "delivery_region": delivery_region,
                "budget_min_minor": budget_min,
                "budget_max_minor": budget_max,
                "currency": CURRENCY,
                "bidding_deadline": bidding_deadline,
                "estimated_machine_hours": rng.randint(4, 2000) if rng.random() < 0.5 else None,
                "allow_split": allow_split,
                "awarded_quantity": 0,
                "published_at": published_at,
                "closed_at": None,
                "cancel_reason": "",
                "created_at": created_at,
                "updated_at": published_at or created_at,
            },
        )
        plan.orders.append(
            OrderPlan(
                key=key,
                id=order_id,
                buyer=buyer,
                status=status,
                visibility=visibility,
                requirement=Requirement(
                    process=str(process),
                    quantity=quantity,
                    required_certifications=required,
                    need_by=need_by,
                ),
                bidding_deadline=bidding_deadline,
                published_at=published_at,
                unit_price_rub=unit_price_rub,
                tooling_rub=tooling_rub,
                allow_split=allow_split,
            )
        )


def _plan_bids(
    plan: Plan,
    random_seed: int,
    order: OrderPlan,
    by_process: dict[str, list[OrganisationPlan]],
    manufacturers: Sequence[OrganisationPlan],
    now: datetime,
) -> None:
    """3-6 active bids from shops that pass the same fit check place_bid makes; invitations if invited."""
    rng = _rng(random_seed, f"bidders:{order.key}")
    candidates = by_process.get(order.requirement.process, [])
    bidders: list[OrganisationPlan] = []
    if order.status == OrderStatus.open and candidates:
        wanted = rng.randint(3, 6)
        seen: set[int] = set()
        # Random probes rather than a scan of every candidate: cost per order stays flat as orgs grow.
        for _ in range(wanted * 15):
            if len(bidders) == wanted or len(seen) == len(candidates):
                break
            candidate = candidates[rng.randrange(len(candidates))]
            if candidate.number in seen:
                continue
            seen.add(candidate.number)
            if candidate.id != order.buyer.id and not fit_problems(candidate.capability, order.requirement):
                bidders.append(candidate)

    if order.visibility == Visibility.invited:
        invited = {bidder.number: bidder for bidder in bidders}
        pool = candidates or manufacturers
        for _ in range(rng.randint(1, 3)):
            if pool:
                other = pool[rng.randrange(len(pool))]
                if other.id != order.buyer.id:
                    invited.setdefault(other.number, other)
        for organisation in invited.values():
            plan.add(
                INVITATION_TABLE,
                {
                    "order_id": order.id,
                    "manufacturer_organisation_id": organisation.id,
                    "created_at": order.published_at or now,
                },
            )

    for bidder in bidders:
        bid_rng = _rng(random_seed, f"bid:{order.key}:{bidder.number}")
        quantity = order.requirement.quantity
        if order.allow_split and _rng(random_seed, f"bidpart:{order.key}:{bidder.number}").random() < 0.3:
            quantity = max(1, quantity // 2)  # quotes for half of a split order
        unit_price_minor = max(1, _rub(order.unit_price_rub * bid_rng.uniform(0.75, 1.3)))
        tooling_minor = _rub(order.tooling_rub * bid_rng.uniform(0.7, 1.3))
        published_at = order.published_at or now
        created_at = published_at + (now - published_at) * bid_rng.random()
        plan.add(
            BID_TABLE,
            {
                "id": _id(f"bid:{order.key}:{bidder.number}"),
                "order_id": order.id,
                "manufacturer_organisation_id": bidder.id,
                "placed_by_user_id": bidder.user_id,
                "status": BidStatus.active,
                "revision": 1,
                "previous_bid_id": None,
                "quantity": quantity,
                "unit_price_minor": unit_price_minor,
                "tooling_minor": tooling_minor,
                "total_minor": unit_price_minor * quantity + tooling_minor,
                "currency": CURRENCY,
                "lead_time_days": bid_rng.randint(5, 90),
                "valid_until": order.bidding_deadline.date() + timedelta(days=bid_rng.randint(7, 45)),
                "notes": bid_rng.choice(("", "", "Цена с НДС.", "Возможна поставка партиями.")),
                "created_at": created_at,
                "updated_at": created_at,
            },
        )


def build_plan(*, organisations: int, random_seed: int, now: datetime, password_hash: str) -> Plan:
    """Every demo row, in memory; pure apart from the progress bars."""
    plan = Plan()
    plan.add(
        USER_TABLE,
        {
            "id": _id("user:operator"),
            "email": OPERATOR_EMAIL,
            "full_name": "Demo operator",
            "password_hash": password_hash,
            "is_operator": True,
            "created_at": now,
        },
    )
    for number in tqdm(range(1, organisations + 1), desc="organisations", unit="org", leave=False):
        _plan_organisation(plan, random_seed, number, now, password_hash)
    for organisation in plan.organisations:
        if organisation.kind.buys:
            _plan_orders(plan, random_seed, organisation, now)

    manufacturers = [o for o in plan.organisations if o.capability is not None]
    by_process: dict[str, list[OrganisationPlan]] = defaultdict(list)
    for organisation in manufacturers:
        assert organisation.capability is not None
        for process in organisation.capability.processes:
            by_process[process].append(organisation)
    for order in tqdm(plan.orders, desc="bids", unit="order", leave=False):
        _plan_bids(plan, random_seed, order, by_process, manufacturers, now)
    return plan


async def _check_same_seed(conn: AsyncConnection, plan: Plan) -> None:
    """Refuse to mix data sets: rows of another seed would make the new bids disagree with old profiles."""
    if not plan.organisations:
        return
    first = plan.rows[ORGANISATION_TABLE.name][0]
    stored = (
        await conn.execute(
            select(ORGANISATION_TABLE.c.name, ORGANISATION_TABLE.c.kind, ORGANISATION_TABLE.c.region).where(
                ORGANISATION_TABLE.c.id == first["id"]
            )
        )
    ).first()
    if stored is not None and tuple(stored) != (first["name"], first["kind"], first["region"]):
        raise SeedMismatch(
            "the database holds demo data made with another --random-seed; "
            "seed with that one again, or start from an empty database"
        )


async def _count_rows(conn: AsyncConnection) -> dict[str, int]:
    counted = (*TABLES, table_of(ManufacturerRecord), table_of(MatchCandidate))
    return {table.name: int(await conn.scalar(select(func.count()).select_from(table)) or 0) for table in counted}


async def _insert(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    statement = pg_insert(table).on_conflict_do_nothing()
    with tqdm(total=len(rows), desc=table.name, unit="row", leave=False, file=sys.stderr) as bar:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            await conn.execute(statement, batch)
            bar.update(len(batch))


async def seed(url: str, *, organisations: int, random_seed: int = 42) -> str:
    """Load the demo data set into the database at `url`; return a one-line summary."""
    if organisations < 0:
        raise ValueError("organisations must not be negative")
    # Hashed once: argon2 is deliberately slow, and every demo account shares the password.
    password_hash = await hash_password(DEMO_PASSWORD)
    plan = build_plan(
        organisations=organisations, random_seed=random_seed, now=datetime.now(UTC), password_hash=password_hash
    )
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as conn:
            await _check_same_seed(conn, plan)
            before = await _count_rows(conn)
            for table in TABLES:
                await _insert(conn, table, plan.rows[table.name])
            # Rows were written directly: derive the manufacturers' records and match candidates from them, as the
            # services would.
            await refresh_records(AsyncSession(bind=conn), None, datetime.now(UTC))
            after = await _count_rows(conn)
    finally:
        await engine.dispose()

    written = sum(after[name] - before[name] for name in after)
    open_orders = sum(1 for order in plan.orders if order.status == OrderStatus.open)
    last = admin_email(organisations) if organisations > 1 else None
    accounts = f"{admin_email(1)} … {last}" if last else admin_email(1) if organisations else "no admins"
    return (
        f"demo data (random seed {random_seed}): {organisations} organisations "
        f"({sum(1 for o in plan.organisations if o.kind.manufactures)} manufacture, "
        f"{sum(1 for o in plan.organisations if o.kind.buys)} buy), "
        f"{plan.count(USER_TABLE)} users, {len(plan.orders)} orders ({open_orders} open), "
        f"{plan.count(BID_TABLE)} active bids; {written} new rows written. "
        f"Sign in as {accounts} or {OPERATOR_EMAIL} with password {DEMO_PASSWORD}"
    )
