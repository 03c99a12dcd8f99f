"""Legal details (реквизиты) for tests: numbers with correct check digits, one organisation apart from another.

The check digits are found by trying each candidate digit against domain/organisations/legal_rules.py; those rules
themselves are pinned by tests/unit/test_legal_rules.py on real, published numbers (Sberbank's, T-Bank's)."""

from __future__ import annotations

from itertools import count
from typing import Any

from domain.organisations.legal_rules import account_key_is_valid, inn_is_valid, ogrn_is_valid

_seed = count(1)
# T-Bank (АО «ТБанк»): its published БИК and correspondent account.
BANK = {"bankName": "АО «ТБанк»", "bik": "044525974", "correspondentAccount": "30101810145250000974"}


def _complete(stem: str, valid: Any) -> str:
    return next(stem + str(d) for d in range(10) if valid(stem + str(d)))


def legal_id(prefix: str, seed: int) -> str:
    """A legal entity's ИНН beginning with the two digits of `prefix` (a tax region), distinct per seed: what a
    Russian organisation signs up with (domain/organisations/rules.py checks its check digit)."""
    return _complete(f"{prefix}{seed:07d}", inn_is_valid)


def inn(seed: int, *, sole_proprietor: bool = False) -> str:
    if sole_proprietor:
        stem = f"78{seed:08d}"
        eleven = next(stem + str(d) for d in range(10) if any(inn_is_valid(stem + str(d) + str(e)) for e in range(10)))
        return _complete(eleven, inn_is_valid)
    return _complete(f"78{seed:07d}", inn_is_valid)


def ogrn(seed: int, *, sole_proprietor: bool = False) -> str:
    stem = f"3047800{seed:07d}" if sole_proprietor else f"10277{seed:07d}"
    return _complete(stem, ogrn_is_valid)


def settlement_account(seed: int, bik: str = BANK["bik"]) -> str:
    for key in range(10):
        account = f"40702810{key}{seed:011d}"
        if account_key_is_valid(bik, account, correspondent=False):
            return account
    raise AssertionError("no control key fits")


def legal_details(*, sole_proprietor: bool = False, **changes: Any) -> dict[str, Any]:
    """A LegalDetailsInput for a fresh organisation: a legal entity (ООО) signed by its director on the charter, or a
    sole proprietor signing on the EGRIP record."""
    seed = next(_seed)
    details = {
        "inn": inn(seed, sole_proprietor=sole_proprietor),
        "kpp": None if sole_proprietor else "772801001",
        "ogrn": ogrn(seed, sole_proprietor=sole_proprietor),
        "legalAddress": f"117342, г. Москва, ул. Профсоюзная, д. {seed}, стр. 1",
        "postalAddress": None,
        "signatoryName": "Иванов Пётр Сергеевич" if not sole_proprietor else "Смирнова Анна Игоревна",
        "signatoryPosition": "Генеральный директор" if not sole_proprietor else "Индивидуальный предприниматель",
        "signatoryBasis": "EGRIP_RECORD" if sole_proprietor else "CHARTER",
        "settlementAccount": settlement_account(seed),
        **BANK,
    }
    return {**details, **changes}


SET_LEGAL_DETAILS = """mutation($id: ID!, $input: LegalDetailsInput!) { setLegalDetails(id: $id, input: $input) {
  __typename
  ... on LegalDetailsSuccess { legalDetails { inn kpp ogrn entityKind checkedAt } organisation { legalId } }
  ... on UserError { code message field } } }"""


# The exchange's escrow account as production is given it (EXCHANGE_BANK_BENEFICIARY, EXCHANGE_BANK_DETAILS), at
# T-Bank: production refuses to start without one.
ESCROW_BENEFICIARY = "ООО «Биржа контрактного производства»"
ESCROW_ACCOUNT = {
    "bank_name": BANK["bankName"],
    "bik": BANK["bik"],
    "correspondent_account": BANK["correspondentAccount"],
    "account": settlement_account(900),
    "inn": inn(900),
    "kpp": "780101001",
}
PRODUCTION_ESCROW: dict[str, Any] = {"bank_beneficiary": ESCROW_BENEFICIARY, "bank_details": ESCROW_ACCOUNT}
