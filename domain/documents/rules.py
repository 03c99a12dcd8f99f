"""Pure rules of the documents area: which documents a contract has due, who may read one, what a signature file
must look like."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.actor import Actor
from domain.contracts.process import ContractStatus
from domain.contracts.service import DOCUMENTS_TOPIC as DOCUMENTS_TOPIC  # where award and completion emit it
from domain.documents.models import DocumentKind, DocumentLanguage
from domain.errors import ErrorCode, Limits, LimitUnit
from domain.files.refusals import FileRejected, FileRejection

# The outbox topic the worker listens to (exchange/document_relay.py): the key is a contract id whose documents may
# be due (award, completion, a copy requested).

MAX_SIGNATURE_BYTES = 256 * 1024  # a CMS detached signature with its certificate chain is a few kilobytes
SIGNATURE_EXTENSIONS = (".sig", ".p7s")
SIGNATURE_FORMATS = ("sig", "p7s")


@dataclass(frozen=True, slots=True)
class DueDocument:
    kind: DocumentKind
    language: DocumentLanguage
    addressee_organisation_id: UUID | None = None


def due_documents(
    status: ContractStatus,
    *,
    buyer_organisation_id: UUID,
    manufacturer_organisation_id: UUID,
    languages: Iterable[DocumentLanguage],
) -> list[DueDocument]:
    """Every document the contract should have by now: the contract and the escrow invoice from the award on, the
    closing act and the platform's fee invoice to each party once it completed; in Russian and each requested
    language."""
    kinds: list[tuple[DocumentKind, UUID | None]] = [(DocumentKind.contract, None), (DocumentKind.escrow_invoice, None)]
    if status == ContractStatus.completed:
        kinds += [
            (DocumentKind.closing_act, None),
            (DocumentKind.fee_invoice, buyer_organisation_id),
            (DocumentKind.fee_invoice, manufacturer_organisation_id),
        ]
    ordered = [DocumentLanguage.ru, *sorted(set(languages) - {DocumentLanguage.ru})]
    return [DueDocument(kind, language, addressee) for language in ordered for kind, addressee in kinds]


def may_read(actor: Actor, *, parties: tuple[UUID, UUID], addressee_organisation_id: UUID | None) -> bool:
    """The contract's two parties and operators; a document addressed to one party, that party and operators."""
    if actor.is_operator:
        return True
    if addressee_organisation_id is not None:
        return actor.is_member(addressee_organisation_id)
    return any(actor.is_member(party) for party in parties)


def check_signature_file(name: str, data: bytes) -> str:
    """A detached CMS signature: .sig or .p7s, DER (a SEQUENCE) or PEM/base64 text; not verified, only sanity-checked
    so that a drawing or a document is not attached by mistake. Returns the cleaned name."""
    clean = name.strip().replace("/", "_").replace("\\", "_")[-120:]
    if not clean.lower().endswith(SIGNATURE_EXTENSIONS):
        raise FileRejected(
            ErrorCode.UNSUPPORTED_FILE,
            FileRejection.wrong_extension,
            "a detached signature is a .sig or .p7s file",
            allowed=SIGNATURE_FORMATS,
        )
    if not data:
        raise FileRejected(
            ErrorCode.UNSUPPORTED_FILE, FileRejection.empty, "the signature file is empty", allowed=SIGNATURE_FORMATS
        )
    if len(data) > MAX_SIGNATURE_BYTES:
        raise FileRejected(
            ErrorCode.FILE_TOO_LARGE,
            FileRejection.too_large,
            f"a signature file is at most {MAX_SIGNATURE_BYTES} bytes",
            limits=Limits(LimitUnit.BYTES, max=MAX_SIGNATURE_BYTES),
        )
    der = data[0] == 0x30  # ASN.1 SEQUENCE: ContentInfo
    text = data[:64].lstrip()
    pem_or_base64 = text.startswith((b"-----BEGIN", b"MI"))  # base64 of a DER SEQUENCE starts "MI"
    if not (der or pem_or_base64):
        raise FileRejected(
            ErrorCode.UNSUPPORTED_FILE,
            FileRejection.unknown_content,
            "this is not a CMS signature (PKCS#7, DER or PEM)",
            allowed=SIGNATURE_FORMATS,
        )
    return clean
