from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, result_union
from api.organisations.mutations import OrganisationSuccess
from api.organisations.types import Organisation
from api.relay import decode_id
from api.taxes.types import TaxStatus
from domain.taxes import service
from domain.taxes.models import TaxStatus as DomainTaxStatus
from domain.uow import UnitOfWork

SetTaxStatusResult = result_union("SetTaxStatusResult", OrganisationSuccess, *ACTION_ERRORS)
CheckTaxStatusResult = result_union("CheckTaxStatusResult", OrganisationSuccess, *ACTION_ERRORS)


@strawberry.type
class TaxMutation:
    @strawberry.mutation(
        description="Admins: declare how the organisation is taxed. Bids placed from now on carry the VAT it "
        "gives; a changed declaration waits for an operator's check again."
    )
    async def set_tax_status(self, info: Info, id: strawberry.ID, tax_status: TaxStatus) -> SetTaxStatusResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrganisationSuccess:
            row = await service.set_tax_status(
                uow,
                actor=ctx.actor,
                organisation_id=decode_id(id, "Organisation", "id"),
                status=DomainTaxStatus(tax_status),
            )
            return OrganisationSuccess(organisation=Organisation.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Operators: the declared tax status matches the tax register (`checked: false` withdraws it)."
    )
    async def check_tax_status(self, info: Info, id: strawberry.ID, checked: bool = True) -> CheckTaxStatusResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrganisationSuccess:
            row = await service.check_tax_status(
                uow, actor=ctx.actor, organisation_id=decode_id(id, "Organisation", "id"), checked=checked
            )
            return OrganisationSuccess(organisation=Organisation.from_row(row))

        return await ctx.run(use_case)
