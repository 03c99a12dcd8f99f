"""Which documents a contract has due, who reads them, and what passes for a detached signature file."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.actor import Actor, Role
from domain.contracts.process import ContractStatus
from domain.documents.models import DocumentKind, DocumentLanguage
from domain.documents.rules import DueDocument, check_signature_file, due_documents, may_read
from domain.errors import DomainError, ErrorCode

BUYER, MAKER = uuid4(), uuid4()


def due(status: ContractStatus, *languages: DocumentLanguage) -> list[DueDocument]:
    return due_documents(status, buyer_organisation_id=BUYER, manufacturer_organisation_id=MAKER, languages=languages)


def test_from_award_the_contract_and_the_escrow_invoice_in_russian() -> None:
    for status in (ContractStatus.pending_funding, ContractStatus.in_production, ContractStatus.cancelled):
        assert due(status) == [
            DueDocument(DocumentKind.contract, DocumentLanguage.ru),
            DueDocument(DocumentKind.escrow_invoice, DocumentLanguage.ru),
        ]


def test_at_completion_the_closing_act_and_a_fee_invoice_to_each_party_and_requested_copies() -> None:
    documents = due(ContractStatus.completed, DocumentLanguage.en, DocumentLanguage.ru)
    assert [(d.kind, d.language, d.addressee_organisation_id) for d in documents] == [
        (kind, language, addressee)
        for language in (DocumentLanguage.ru, DocumentLanguage.en)
        for kind, addressee in (
            (DocumentKind.contract, None),
            (DocumentKind.escrow_invoice, None),
            (DocumentKind.closing_act, None),
            (DocumentKind.fee_invoice, BUYER),
            (DocumentKind.fee_invoice, MAKER),
        )
    ]


def test_readers_are_the_parties_and_operators_and_a_fee_invoice_its_addressee() -> None:
    buyer = Actor(user_id=uuid4(), memberships={BUYER: Role.admin})
    maker = Actor(user_id=uuid4(), memberships={MAKER: Role.member})
    stranger = Actor(user_id=uuid4(), memberships={uuid4(): Role.admin})
    operator = Actor(user_id=uuid4(), is_operator=True)
    parties = (BUYER, MAKER)

    assert [
        may_read(a, parties=parties, addressee_organisation_id=None) for a in (buyer, maker, stranger, operator)
    ] == [
        True,
        True,
        False,
        True,
    ]
    assert [may_read(a, parties=parties, addressee_organisation_id=MAKER) for a in (buyer, maker, operator)] == [
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("contract.pdf", b"\x30\x82\x01\x00", ErrorCode.UNSUPPORTED_FILE),
        ("contract.sig", b"%PDF-1.7", ErrorCode.UNSUPPORTED_FILE),
        ("contract.sig", b"", ErrorCode.UNSUPPORTED_FILE),
        ("contract.p7s", b"\x30" + b"\x00" * (256 * 1024), ErrorCode.FILE_TOO_LARGE),
    ],
)
def test_signature_files_refused(name: str, data: bytes, code: ErrorCode) -> None:
    with pytest.raises(DomainError) as refused:
        check_signature_file(name, data)
    assert (refused.value.code, refused.value.field) == (code, "file")


def test_signature_files_accepted_der_and_pem_with_a_clean_name() -> None:
    assert check_signature_file("../подписи/договор.SIG", b"\x30\x82\x01\x00") == ".._подписи_договор.SIG"
    assert check_signature_file("act.p7s", b"-----BEGIN PKCS7-----\nMIIB...\n") == "act.p7s"
    assert check_signature_file("act.p7s", b"MIIBxwYJKoZIhvcNAQcCoIIBuDCCAbQCAQE=") == "act.p7s"
