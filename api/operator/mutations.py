from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, result_union
from api.manufacturers.mutations import CertificationSuccess
from api.manufacturers.types import Certification
from api.relay import decode_id
from domain.operator.certificates import set_certificate_checked
from domain.uow import UnitOfWork

VerifyCertificationResult = result_union("VerifyCertificationResult", CertificationSuccess, *ACTION_ERRORS)


@strawberry.type
class OperatorMutation:
    @strawberry.mutation(
        description="Operators only: a certificate matches the issuer's register (`verified: false` takes it back)."
    )
    async def verify_certification(
        self, info: Info, id: strawberry.ID, verified: bool = True
    ) -> VerifyCertificationResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> CertificationSuccess:
            row = await set_certificate_checked(
                uow, actor=ctx.actor, certification_id=decode_id(id, "Certification", "id"), verified=verified
            )
            return CertificationSuccess(certification=Certification.from_row(row))

        return await ctx.run(use_case)
