from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, InvalidStateError, result_union
from api.manufacturers.mutations import CertificationSuccess
from api.manufacturers.types import Certification
from api.operator.types import ProviderPaymentIssue
from api.relay import decode_id
from domain.operator.certificates import set_certificate_checked
from domain.operator.provider_payments import resolve_provider_payment, retry_provider_payment
from domain.uow import UnitOfWork

VerifyCertificationResult = result_union("VerifyCertificationResult", CertificationSuccess, *ACTION_ERRORS)


@strawberry.type
class ProviderPaymentSuccess:
    payment: ProviderPaymentIssue


ProviderPaymentResult = result_union("ProviderPaymentResult", ProviderPaymentSuccess, *ACTION_ERRORS, InvalidStateError)


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

    @strawberry.mutation(
        description="Operators only: ask the payment provider again now for a failed or long-pending transfer or "
        "refund, with its own idempotency key: a payment the provider made before is returned, never made twice. "
        "Answers with the payment after the attempt (made, or its error)."
    )
    async def retry_provider_payment(self, info: Info, id: strawberry.ID) -> ProviderPaymentResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ProviderPaymentSuccess:
            row = await retry_provider_payment(
                uow,
                actor=ctx.actor,
                payment_id=decode_id(id, "ProviderPayment", "id"),
                provider=ctx.deps.payments.provider,
            )
            return ProviderPaymentSuccess(payment=ProviderPaymentIssue.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Operators only: a failed transfer or refund was settled by hand (in Stripe's dashboard, by a "
        "wire, or found already made): it is never attempted again. `reason` is required and kept with who and "
        "when; `reference` (the transfer, refund or bank transaction) goes on the contract's ledger line."
    )
    async def resolve_provider_payment(
        self, info: Info, id: strawberry.ID, reason: str, reference: str = ""
    ) -> ProviderPaymentResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ProviderPaymentSuccess:
            row = await resolve_provider_payment(
                uow,
                actor=ctx.actor,
                payment_id=decode_id(id, "ProviderPayment", "id"),
                reason=reason,
                reference=reference,
            )
            return ProviderPaymentSuccess(payment=ProviderPaymentIssue.from_row(row))

        return await ctx.run(use_case)
