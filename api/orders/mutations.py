from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from api.context import Info
from api.enums import CertificationStandard, Process, ToleranceClass, Visibility
from api.errors import ACTION_ERRORS, InvalidStateError, NotEligibleError, result_union
from api.money import MoneyInput
from api.orders.types import Order
from api.relay import decode_id, decode_ids
from domain.errors import ErrorCode, InvalidInput
from domain.orders import service
from domain.orders.models import Visibility as DomainVisibility
from domain.orders.rules import OrderDraft, api_field
from domain.uow import UnitOfWork
from domain.vocabulary import ToleranceClass as DomainToleranceClass


@strawberry.input(description="A new production order (RFQ). It stays a draft unless `publish` is true.")
class CreateOrderInput:
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The buying organisation; may be omitted if you belong to one only."
    )
    title: str
    description: str = ""
    process: Process
    material: str
    quantity: int
    tolerance_class: ToleranceClass = ToleranceClass.MEDIUM
    required_certifications: list[CertificationStandard] = strawberry.field(default_factory=list)
    need_by: date
    delivery_region: str = strawberry.field(description="ISO 3166-2 subdivision code, e.g. RU-MOW.")
    budget_min: MoneyInput
    budget_max: MoneyInput
    budget_includes_vat: bool = strawberry.field(
        default=True, description="The budget is stated with VAT (gross); false: without VAT (net)."
    )
    bidding_deadline: datetime = strawberry.field(description="With a time zone, e.g. 2027-01-31T18:00:00Z.")
    visibility: Visibility = Visibility.PUBLIC
    estimated_machine_hours: int | None = None
    invited_manufacturer_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    allow_split: bool = strawberry.field(
        default=False,
        description="Allow split awards: the quantity may be awarded in parts to several bids (each part its"
        " own contract), and manufacturers may quote for part of it.",
    )
    publish: bool = strawberry.field(default=False, description="Open it for bids straight away.")


@strawberry.input(
    description="Fields to change; omitted fields stay. A published order only takes a new description, "
    "later deadlines and more invitations."
)
class UpdateOrderInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    process: Process | None = strawberry.UNSET
    material: str | None = strawberry.UNSET
    quantity: int | None = strawberry.UNSET
    tolerance_class: ToleranceClass | None = strawberry.UNSET
    required_certifications: list[CertificationStandard] | None = strawberry.UNSET
    need_by: date | None = strawberry.UNSET
    delivery_region: str | None = strawberry.UNSET
    budget_min: MoneyInput | None = strawberry.UNSET
    budget_max: MoneyInput | None = strawberry.UNSET
    budget_includes_vat: bool | None = strawberry.UNSET
    bidding_deadline: datetime | None = strawberry.UNSET
    visibility: Visibility | None = strawberry.UNSET
    estimated_machine_hours: int | None = strawberry.UNSET
    invited_manufacturer_ids: list[strawberry.ID] | None = strawberry.UNSET
    allow_split: bool | None = strawberry.UNSET

    def changes(self) -> dict[str, Any]:
        converters: dict[str, Any] = {
            "process": str,
            "tolerance_class": DomainToleranceClass,
            "required_certifications": lambda v: [str(c) for c in v],
            "budget_min": lambda v: v.to_domain("budgetMin"),
            "budget_max": lambda v: v.to_domain("budgetMax", positive=True),
            "visibility": DomainVisibility,
            "invited_manufacturer_ids": lambda v: decode_ids(v, "Organisation", "invitedManufacturerIds"),
        }
        changes: dict[str, Any] = {}
        for name, convert in [(n, converters.get(n)) for n in self.__dataclass_fields__]:
            value = getattr(self, name)
            if value is strawberry.UNSET:
                continue
            if value is None and name not in ("estimated_machine_hours",):
                raise InvalidInput("may be omitted but not null", api_field(name), ErrorCode.REQUIRED)
            changes[name] = convert(value) if convert and value is not None else value
        return changes


@strawberry.type
class OrderSuccess:
    order: Order


CreateOrderResult = result_union("CreateOrderResult", OrderSuccess, *ACTION_ERRORS, NotEligibleError)
UpdateOrderResult = result_union("UpdateOrderResult", OrderSuccess, *ACTION_ERRORS, InvalidStateError)
PublishOrderResult = result_union("PublishOrderResult", OrderSuccess, *ACTION_ERRORS, InvalidStateError)
CancelOrderResult = result_union("CancelOrderResult", OrderSuccess, *ACTION_ERRORS, InvalidStateError)


def _draft(input: CreateOrderInput) -> OrderDraft:
    return OrderDraft(
        title=input.title,
        description=input.description,
        process=str(input.process),
        material=input.material,
        quantity=input.quantity,
        tolerance_class=DomainToleranceClass(input.tolerance_class),
        required_certifications=[str(c) for c in input.required_certifications],
        need_by=input.need_by,
        delivery_region=input.delivery_region,
        budget_min=input.budget_min.to_domain("budgetMin"),
        budget_max=input.budget_max.to_domain("budgetMax", positive=True),
        bidding_deadline=input.bidding_deadline,
        visibility=DomainVisibility(input.visibility),
        estimated_machine_hours=input.estimated_machine_hours,
        invited_manufacturer_ids=decode_ids(input.invited_manufacturer_ids, "Organisation", "invitedManufacturerIds"),
        allow_split=input.allow_split,
        budget_includes_vat=input.budget_includes_vat,
    )


@strawberry.type
class OrderMutation:
    @strawberry.mutation(description="Create a production order as a draft, or published straight away.")
    async def create_order(self, info: Info, input: CreateOrderInput) -> CreateOrderResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderSuccess:
            organisation_id = (
                decode_id(input.organisation_id, "Organisation", "organisationId") if input.organisation_id else None
            )
            row = await service.create_order(
                uow,
                actor=ctx.actor,
                organisation_id=organisation_id,
                draft=_draft(input),
                publish=input.publish,
            )
            return OrderSuccess(order=Order.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="The buyer edits its order: drafts freely, published ones within limits.")
    async def update_order(self, info: Info, id: strawberry.ID, input: UpdateOrderInput) -> UpdateOrderResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderSuccess:
            row = await service.update_order(
                uow, actor=ctx.actor, order_id=decode_id(id, "Order", "id"), changes=input.changes()
            )
            return OrderSuccess(order=Order.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Open a draft for bids.")
    async def publish_order(self, info: Info, id: strawberry.ID) -> PublishOrderResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderSuccess:
            row = await service.publish_order(uow, actor=ctx.actor, order_id=decode_id(id, "Order", "id"))
            return OrderSuccess(order=Order.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Cancel a draft or an open order; its active bids are rejected.")
    async def cancel_order(self, info: Info, id: strawberry.ID, reason: str = "") -> CancelOrderResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderSuccess:
            row = await service.cancel_order(uow, actor=ctx.actor, order_id=decode_id(id, "Order", "id"), reason=reason)
            return OrderSuccess(order=Order.from_row(row))

        return await ctx.run(use_case)
