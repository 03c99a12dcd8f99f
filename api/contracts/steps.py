"""One mutation per contract lifecycle step, plus the operator's bank-transfer bookkeeping."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.contracts.types import Contract, PaymentInstruction
from api.errors import ACTION_ERRORS, ConflictError, InvalidStateError, NotEligibleError, result_union
from api.money import MoneyInput
from api.relay import decode_id
from domain.contracts import lifecycle
from domain.payments import instructions
from domain.payments.service import connect_payout_account
from domain.uow import UnitOfWork


@strawberry.type
class ContractSuccess:
    contract: Contract


@strawberry.type
class PaymentInstructionSuccess:
    payment_instruction: PaymentInstruction


@strawberry.type(
    description="Funding started: with card payments, confirm `clientSecret` with Stripe.js; "
    "with bank transfer it is null and `contract.fundingInstructions` say where to wire."
)
class FundContractSuccess:
    contract: Contract
    client_secret: str | None


@strawberry.type
class PayoutAccountLinkSuccess:
    url: str = strawberry.field(description="Send the manufacturer's admin here to set up payouts.")


FundContractResult = result_union("FundContractResult", FundContractSuccess, *ACTION_ERRORS, InvalidStateError)
CreateStripeOnboardingLinkResult = result_union(
    "CreateStripeOnboardingLinkResult", PayoutAccountLinkSuccess, *ACTION_ERRORS, InvalidStateError, NotEligibleError
)
ContractStepResult = result_union("ContractStepResult", ContractSuccess, *ACTION_ERRORS, InvalidStateError)
RecordBankTransferResult = result_union(
    "RecordBankTransferResult", ContractSuccess, *ACTION_ERRORS, InvalidStateError, ConflictError
)
ConfirmPaymentInstructionResult = result_union(
    "ConfirmPaymentInstructionResult", PaymentInstructionSuccess, *ACTION_ERRORS, ConflictError
)


async def _step(
    info: Info,
    contract_id: strawberry.ID,
    transition: str,
    *,
    note: str = "",
    tracking_reference: str = "",
    release: MoneyInput | None = None,
) -> ContractStepResult:  # type: ignore[valid-type]
    ctx = info.context

    async def use_case(uow: UnitOfWork) -> ContractSuccess:
        row = await lifecycle.take_step(
            uow,
            actor=ctx.actor,
            contract_id=decode_id(contract_id, "Contract", "contractId"),
            transition=transition,
            payments=ctx.deps.payments,
            note=note,
            tracking_reference=tracking_reference,
            release=release.to_domain("release") if release else None,
        )
        return ContractSuccess(contract=Contract.from_row(row))

    return await ctx.run(use_case)


@strawberry.type
class ContractStepMutation:
    @strawberry.mutation(description="Buyer: start paying the contract's price into escrow.")
    async def fund_contract(self, info: Info, contract_id: strawberry.ID) -> FundContractResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> FundContractSuccess:
            row, secret = await lifecycle.start_funding(
                uow,
                actor=ctx.actor,
                contract_id=decode_id(contract_id, "Contract", "contractId"),
                payments=ctx.deps.payments,
            )
            return FundContractSuccess(contract=Contract.from_row(row), client_secret=secret)

        return await ctx.run(use_case)

    @strawberry.mutation(description="Manufacturer admins: a Stripe Connect onboarding link for card payouts.")
    async def create_stripe_onboarding_link(
        self, info: Info, organisation_id: strawberry.ID, return_url: str, refresh_url: str
    ) -> CreateStripeOnboardingLinkResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> PayoutAccountLinkSuccess:
            url = await connect_payout_account(
                uow,
                actor=ctx.actor,
                organisation_id=decode_id(organisation_id, "Organisation", "organisationId"),
                provider=ctx.deps.payments.provider,
                return_url=return_url,
                refresh_url=refresh_url,
            )
            return PayoutAccountLinkSuccess(url=url)

        return await ctx.run(use_case)

    @strawberry.mutation(description="Manufacturer: a funded contract goes into production.")
    async def start_production(self, info: Info, contract_id: strawberry.ID) -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "start_production")

    @strawberry.mutation(description="Manufacturer: the first article is ready for the buyer's review.")
    async def submit_first_article(self, info: Info, contract_id: strawberry.ID, note: str = "") -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "submit_first_article", note=note)

    @strawberry.mutation(description="Buyer: approve the first article; its milestone is released.")
    async def approve_first_article(self, info: Info, contract_id: strawberry.ID, note: str = "") -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "approve_first_article", note=note)

    @strawberry.mutation(description="Buyer: send the first article back for rework, saying why.")
    async def reject_first_article(self, info: Info, contract_id: strawberry.ID, reason: str) -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "reject_first_article", note=reason)

    @strawberry.mutation(description="Manufacturer: the parts are on their way.")
    async def ship(self, info: Info, contract_id: strawberry.ID, tracking_reference: str) -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "ship", tracking_reference=tracking_reference)

    @strawberry.mutation(description="Buyer: the parts arrived; the inspection period starts.")
    async def confirm_delivery(self, info: Info, contract_id: strawberry.ID) -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "confirm_delivery")

    @strawberry.mutation(description="Buyer: accept the parts; escrow is released to the manufacturer, net of the fee.")
    async def accept_delivery(self, info: Info, contract_id: strawberry.ID, note: str = "") -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "accept", note=note)

    @strawberry.mutation(description="Buyer: dispute the delivery during inspection; escrow stays frozen.")
    async def open_dispute(self, info: Info, contract_id: strawberry.ID, reason: str) -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "dispute", note=reason)

    @strawberry.mutation(
        description="Operator: settle a dispute; `release` goes to the manufacturer (net of the fee), the rest "
        "of escrow back to the buyer."
    )
    async def resolve_dispute(
        self, info: Info, contract_id: strawberry.ID, release: MoneyInput, note: str = ""
    ) -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "resolve", note=note, release=release)

    @strawberry.mutation(
        description="Either party before funding; operators at any point before completion. Escrow is refunded."
    )
    async def cancel_contract(self, info: Info, contract_id: strawberry.ID, reason: str) -> ContractStepResult:  # type: ignore[valid-type]
        return await _step(info, contract_id, "cancel", note=reason)

    @strawberry.mutation(
        description="Operator: a bank transfer arrived quoting a contract's payment reference. Once escrow "
        "covers the price, the contract is funded. Recording the same bank transaction twice changes nothing."
    )
    async def record_bank_transfer(
        self,
        info: Info,
        payment_reference: str,
        bank_transaction_id: str,
        amount: MoneyInput,
        received_on: date,
    ) -> RecordBankTransferResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ContractSuccess:
            row = await lifecycle.record_bank_transfer(
                uow,
                actor=ctx.actor,
                payment_reference=payment_reference,
                bank_transaction_id=bank_transaction_id,
                amount=amount.to_domain("amount", positive=True),
                received_on=received_on,
                payments=ctx.deps.payments,
            )
            return ContractSuccess(contract=Contract.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Operator: a payout or refund was made at the bank, under `bankReference`: the reference the "
        "bank gave the transfer (the payment order's number), at most 100 characters. Again with the same reference "
        "it changes nothing; with another it is refused (ConflictError); a transfer confirmed before references were "
        "kept takes it."
    )
    async def confirm_payment_instruction(
        self, info: Info, id: strawberry.ID, bank_reference: str
    ) -> ConfirmPaymentInstructionResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> PaymentInstructionSuccess:
            row = await instructions.confirm_payment_instruction(
                uow,
                actor=ctx.actor,
                instruction_id=decode_id(id, "PaymentInstruction", "id"),
                bank_reference=bank_reference,
            )
            return PaymentInstructionSuccess(payment_instruction=PaymentInstruction.from_row(row))

        return await ctx.run(use_case)
