from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Info
from api.contracts.types import Contract, ContractConnection
from api.errors import ACTION_ERRORS, InvalidStateError, result_union, to_user_error
from api.money import Money, MoneyInput
from api.operator.types import (
    BankTransfer,
    CertificateCheck,
    CertificateCheckConnection,
    ContractFunding,
    ExchangeOverview,
    OperatorPaymentInstruction,
    OperatorPaymentInstructionConnection,
    ProviderPaymentIssue,
    ProviderPaymentIssueConnection,
    SettlementPreview,
)
from api.organisations.types import Organisation, OrganisationConnection
from api.relay import connection, decode_id
from domain.errors import DomainError
from domain.ledger.models import InstructionStatus as DomainInstructionStatus
from domain.operator.certificates import certificates_to_check
from domain.operator.disputes import disputed_contracts, preview_settlement
from domain.operator.overview import exchange_overview
from domain.operator.payments import find_by_payment_reference, payment_instructions
from domain.operator.provider_payments import payments_needing_attention
from domain.operator.verification import verification_queue
from domain.pagination import PageRequest


@strawberry.enum(description="Whether a payout or refund was executed at the bank yet.")
class PaymentInstructionStatus(Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"


SettlementPreviewResult = result_union("SettlementPreviewResult", SettlementPreview, *ACTION_ERRORS, InvalidStateError)


@strawberry.type
class OperatorQuery:
    @strawberry.field(description="Operators: the exchange at a glance. Null for anyone else.")
    async def exchange_overview(self, info: Info) -> ExchangeOverview | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            return ExchangeOverview.of(await exchange_overview(session, actor=ctx.actor))

    @strawberry.field(
        description="Operators: organisations awaiting verification, newest first (`verified: true`: the "
        "checked ones; `invalidLegalId: true`: only those whose legal id fails today's check for their country). "
        "Null for anyone else."
    )
    async def verification_queue(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        verified: bool = False,
        invalid_legal_id: bool = False,
    ) -> OrganisationConnection | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            page = await verification_queue(
                session,
                actor=ctx.actor,
                verified=verified,
                invalid_legal_id=invalid_legal_id,
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(OrganisationConnection, page, Organisation.from_row)  # type: ignore[return-value]

    @strawberry.field(
        description="Operators: certificates nobody has checked yet (new, or renewed since), oldest first. "
        "Null for anyone else."
    )
    async def certificates_to_check(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> CertificateCheckConnection | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            page = await certificates_to_check(
                session, actor=ctx.actor, page=PageRequest(first, after).checked(ctx.settings.max_page_size)
            )
        return connection(CertificateCheckConnection, page, CertificateCheck.from_row)  # type: ignore[return-value]

    @strawberry.field(
        description="Operators: the contract a wire's payment reference names (spaces, dashes and case as the "
        "bank wrote them), with its funding so far. Null when none matches, or for anyone else."
    )
    async def contract_by_payment_reference(self, info: Info, payment_reference: str) -> ContractFunding | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            state = await find_by_payment_reference(session, actor=ctx.actor, reference=payment_reference)
        if state is None:
            return None
        currency = state.contract.currency
        return ContractFunding(
            contract=Contract.from_row(state.contract),
            amount_due=Money.of(state.amount_due_minor, currency),
            received=Money.of(state.received_minor, currency),
            remaining=Money.of(state.remaining_minor, currency),
            transfers=[BankTransfer.from_row(row) for row in state.transfers],
        )

    @strawberry.field(
        description="Operators: payouts and refunds owed by bank transfer across all contracts; pending ones "
        "oldest first, confirmed ones newest first. Null for anyone else."
    )
    async def payment_instructions(
        self,
        info: Info,
        status: PaymentInstructionStatus = PaymentInstructionStatus.PENDING,
        first: int = 20,
        after: str | None = None,
    ) -> OperatorPaymentInstructionConnection | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            page = await payment_instructions(
                session,
                actor=ctx.actor,
                status=DomainInstructionStatus(status.value),
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(  # type: ignore[return-value]
            OperatorPaymentInstructionConnection, page, OperatorPaymentInstruction.from_row
        )

    @strawberry.field(
        description="Operators: Stripe transfers and refunds that need a person — failed (given up after every "
        "attempt was refused) or pending for over an hour — the longest waiting first. Null for anyone else."
    )
    async def provider_payment_issues(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ProviderPaymentIssueConnection | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            page = await payments_needing_attention(
                session,
                actor=ctx.actor,
                now=ctx.clock.now(),
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(ProviderPaymentIssueConnection, page, ProviderPaymentIssue.from_row)  # type: ignore[return-value]

    @strawberry.field(description="Operators: disputed contracts, the longest waiting first. Null for anyone else.")
    async def disputed_contracts(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ContractConnection | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            page = await disputed_contracts(
                session, actor=ctx.actor, page=PageRequest(first, after).checked(ctx.settings.max_page_size)
            )
        return connection(ContractConnection, page, Contract.from_row)  # type: ignore[return-value]

    @strawberry.field(
        description="Operators: what resolveDispute with this release would move (gross, fee, net, refund), "
        "refused with the same error resolveDispute would give. Nothing changes."
    )
    async def settlement_preview(
        self, info: Info, contract_id: strawberry.ID, release: MoneyInput
    ) -> SettlementPreviewResult:  # type: ignore[valid-type]
        ctx = info.context
        try:
            ctx.actor.require_user()
            async with ctx.db() as session:
                contract, split = await preview_settlement(
                    session,
                    actor=ctx.actor,
                    contract_id=decode_id(contract_id, "Contract", "contractId"),
                    release=release.to_domain("release"),
                    now=ctx.clock.now(),
                )
        except DomainError as error:
            return to_user_error(error)
        return SettlementPreview.of(Contract.from_row(contract), split, contract.currency)
