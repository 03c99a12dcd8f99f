"""What each contract document says, in Russian or English: pure functions from the contract's facts to blocks of
text, fields and tables that a renderer (documents/render.py) lays out. No I/O and no clock: the date printed is
the contract's own (award for the contract and the escrow invoice, completion for the closing documents), so the
same facts give the same document."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from domain.documents.models import DocumentKind, DocumentLanguage
from domain.documents.words import amount_in_words, amount_in_words_en
from domain.organisations.legal_rules import EntityKind, LegalDetails
from domain.taxes.amounts import ContractAmounts, TaxedAmount


@dataclass(frozen=True)
class PartyFacts:
    name: str
    legal_id: str  # ИНН (the organisation's registered legal id)
    region: str
    # Its legal details (реквизиты). The documents are issued only once both parties have stated them
    # (service.issue_due_documents); None only in content built by hand (tests of the layout).
    details: LegalDetails | None = None


@dataclass(frozen=True)
class ShipmentFacts:
    shipped_at: datetime
    tracking_reference: str
    delivered_at: datetime | None
    accepted_at: datetime | None
    accepted_by: str  # the transition that closed it: accept, auto_accept, resolve
    accepted_minor: int  # what was released to the manufacturer for it (gross of the fee)


@dataclass(frozen=True)
class MilestoneFacts:
    name: str
    trigger: str
    amount: TaxedAmount
    released_minor: int


@dataclass(frozen=True)
class ContractFacts:
    number: str  # the contract's payment reference: also the documents' number
    awarded_at: datetime
    completed_at: datetime | None
    title: str
    process: str
    material: str
    quantity: int
    unit_price_minor: int
    tooling_minor: int
    lead_time_days: int
    need_by: date
    delivery_region: str
    buyer: PartyFacts
    manufacturer: PartyFacts
    amounts: ContractAmounts
    milestones: tuple[MilestoneFacts, ...]
    fee_bps: int
    funding_window_days: int
    inspection_days: int
    delivery_confirmation_days: int
    escrow_beneficiary: str
    escrow_bank_details: str
    shipments: tuple[ShipmentFacts, ...] = ()
    released_minor: int = 0  # escrow paid to the manufacturer at completion (gross of the fee)
    refunded_minor: int = 0  # escrow returned to the buyer at completion


@dataclass(frozen=True)
class DocumentContent:
    kind: DocumentKind
    language: DocumentLanguage
    title: str
    number: str
    subtitle: str
    date: date
    issuer: str
    footer: str
    blocks: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def as_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = [self.date.year, self.date.month, self.date.day]
        data["kind"], data["language"] = self.kind.value, self.language.value
        data["blocks"] = list(self.blocks)
        return data

    def file_name(self) -> str:
        return f"{self.kind.value}-{self.number}-{self.language.value}.pdf"


class DocumentRenderer(Protocol):
    """Lays content out as PDF bytes; the same content gives the same bytes."""

    name: str

    async def render(self, content: DocumentContent) -> bytes: ...


# Money and dates as each language writes them ------------------------------------------------------------------

_SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€"}


def money(minor: int, currency: str, language: DocumentLanguage) -> str:
    sign = "−" if minor < 0 else ""
    major, rest = divmod(abs(minor), 100)
    if language == DocumentLanguage.ru:
        grouped = f"{major:,}".replace(",", "\u00a0")
        return f"{sign}{grouped},{rest:02d}\u00a0{_SYMBOLS.get(currency, currency)}"
    return f"{sign}{currency} {major:,}.{rest:02d}"


def day(value: date | datetime, language: DocumentLanguage) -> str:
    return value.strftime("%d.%m.%Y") if language == DocumentLanguage.ru else value.strftime("%Y-%m-%d")


def words(minor: int, currency: str, language: DocumentLanguage) -> str:
    return amount_in_words(minor, currency) if language == DocumentLanguage.ru else amount_in_words_en(minor, currency)


# Labels ---------------------------------------------------------------------------------------------------------

_L: dict[str, tuple[str, str]] = {
    "contract": ("Договор подряда на изготовление изделий", "Contract for the manufacture of parts"),
    "contract_sub": (
        "заключён через биржу контрактного производства по принятому предложению",
        "concluded on the contract production exchange by acceptance of a bid",
    ),
    "escrow_invoice": ("Счёт на оплату (депонирование)", "Invoice for escrow funding"),
    "escrow_invoice_sub": (
        "оплата поступает на эскроу-счёт биржи и перечисляется исполнителю после приёмки",
        "paid into the exchange's escrow account and released to the manufacturer on acceptance",
    ),
    "closing_act": ("Универсальный передаточный документ (акт)", "Closing statement (delivery and acceptance act)"),
    "closing_act_sub": (
        "о передаче и приёмке изготовленных изделий",
        "of the parts delivered and accepted",
    ),
    "fee_invoice": ("Счёт за услуги биржи", "Invoice for the exchange's service fee"),
    "fee_invoice_sub": (
        "вознаграждение биржи по договору № {number}",
        "the exchange's fee under contract No. {number}",
    ),
    "buyer": ("Заказчик", "Buyer"),
    "manufacturer": ("Исполнитель", "Manufacturer"),
    "platform": ("Биржа (агент по эскроу)", "Exchange (escrow agent)"),
    "payer": ("Плательщик", "Payer"),
    "addressee": ("Покупатель услуги", "Customer"),
    "legal_id": ("ИНН", "Tax id (INN)"),
    "kpp": ("КПП", "KPP"),
    "ogrn": ("ОГРН", "OGRN"),
    "ogrnip": ("ОГРНИП", "OGRNIP"),
    "legal_address": ("юридический адрес", "registered address"),
    "postal_address": ("почтовый адрес", "postal address"),
    "account": ("р/с", "account"),
    "in_bank": ("в", "with"),
    "bik": ("БИК", "BIC (BIK)"),
    "corr_account": ("к/с", "correspondent account"),
    "acting_on": ("действует на основании", "acting under"),
    "region": ("регион", "region"),
    "subject": ("1. Предмет договора", "1. Subject"),
    "subject_text": (
        "Исполнитель изготавливает и передаёт Заказчику изделия «{title}» ({process}, материал: {material}) "
        "в количестве {quantity} шт. по технической документации заказа, а Заказчик принимает и оплачивает их.",
        "The manufacturer makes and delivers to the buyer the parts “{title}” ({process}, material: {material}), "
        "{quantity} pcs, to the order's technical documentation; the buyer accepts and pays for them.",
    ),
    "price": ("2. Цена", "2. Price"),
    "item": ("Наименование", "Item"),
    "qty": ("Кол-во", "Qty"),
    "unit_price": ("Цена", "Unit price"),
    "net": ("Без НДС", "Net"),
    "vat_rate": ("Ставка НДС", "VAT rate"),
    "vat": ("НДС", "VAT"),
    "gross": ("Всего с НДС", "Total incl. VAT"),
    "tooling": ("Оснастка", "Tooling"),
    "no_vat": ("без НДС", "no VAT"),
    "total": ("Итого", "Total"),
    "total_vat": ("В том числе НДС", "of which VAT"),
    "to_pay": ("Всего к оплате", "Amount due"),
    "in_words": ("Сумма прописью:", "In words:"),
    "milestones": ("3. Порядок оплаты (этапы)", "3. Payment milestones"),
    "milestone": ("Этап", "Milestone"),
    "released_on": ("Выплачивается", "Released on"),
    "approve_first_article": ("одобрение первого образца", "first article approval"),
    "accept": ("приёмка партии", "acceptance of the delivery"),
    "delivery": ("4. Сроки и поставка", "4. Lead time and delivery"),
    "delivery_text": (
        "Срок изготовления — {lead} календарных дней с даты депонирования оплаты; требуемая дата поставки — {need_by}; "
        "место поставки — регион {region}. Исполнитель указывает трек-номер отгрузки на бирже; Заказчик "
        "подтверждает получение в течение {confirm} дней, иначе получение считается подтверждённым.",
        "Lead time: {lead} calendar days from the escrow funding; required delivery date: {need_by}; delivery to "
        "region {region}. The manufacturer records the shipment's tracking reference on the exchange; the buyer "
        "confirms delivery within {confirm} days, after which delivery counts as confirmed.",
    ),
    "inspection": ("5. Приёмка", "5. Inspection and acceptance"),
    "inspection_text": (
        "Заказчик проверяет изделия в течение {days} дней с подтверждения получения и принимает их либо открывает "
        "спор с указанием причин. По истечении срока без спора изделия считаются принятыми.",
        "The buyer inspects the parts within {days} days of confirming delivery and accepts them or opens a "
        "dispute stating its reasons. Without a dispute by then the parts count as accepted.",
    ),
    "disputes": ("6. Споры", "6. Disputes"),
    "disputes_text": (
        "Спор рассматривает оператор биржи по материалам сторон в контрактной комнате; на время спора средства "
        "остаются на эскроу. Оператор вправе выплатить исполнителю часть суммы и вернуть остаток заказчику. "
        "Решение оператора не лишает стороны права обратиться в суд по месту нахождения ответчика.",
        "An operator of the exchange resolves a dispute on the parties' submissions in the contract room; the "
        "money stays in escrow meanwhile. The operator may release part to the manufacturer and refund the rest "
        "to the buyer. The operator's decision leaves the parties free to go to the court of the defendant.",
    ),
    "escrow": ("7. Эскроу", "7. Escrow"),
    "escrow_text": (
        "Заказчик вносит цену договора на эскроу-счёт биржи в течение {window} дней, иначе договор прекращается. "
        "Биржа выплачивает исполнителю причитающиеся этапы при их наступлении за вычетом вознаграждения биржи "
        "({fee}% от цены), а при расторжении возвращает Заказчику всё, что остаётся на эскроу.",
        "The buyer pays the contract price into the exchange's escrow within {window} days, otherwise the contract "
        "ends. The exchange releases each milestone to the manufacturer when it falls due, less the exchange's fee "
        "({fee}% of the price), and on cancellation refunds the buyer whatever escrow still holds.",
    ),
    "parties": ("Стороны", "Parties"),
    "signatures_caption": ("подпись / квалифицированная ЭП", "signature / qualified e-signature"),
    "recipient": ("Получатель", "Beneficiary"),
    "bank": ("Банковские реквизиты", "Bank details"),
    "purpose": ("Назначение платежа", "Payment reference"),
    "purpose_text": (
        "Оплата по договору № {number}, {reference}. {vat}",
        "Payment under contract No. {number}, {reference}. {vat}",
    ),
    "pay_by": ("Оплатить до", "Pay by"),
    "shipments": ("Переданные изделия", "Parts delivered"),
    "shipped": ("Отгружено", "Shipped"),
    "tracking": ("Трек-номер", "Tracking"),
    "delivered": ("Получено", "Delivered"),
    "accepted": ("Принято", "Accepted"),
    "closing_text": (
        "Исполнитель передал, а Заказчик принял изделия по договору № {number}. Стороны претензий по количеству "
        "и качеству не имеют, кроме разрешённых оператором биржи.",
        "The manufacturer delivered and the buyer accepted the parts under contract No. {number}. The parties "
        "have no claims as to quantity or quality other than those resolved by the exchange's operator.",
    ),
    "refunded": ("Возвращено Заказчику с эскроу", "Refunded to the buyer from escrow"),
    "fee_service": (
        "Услуги биржи по сопровождению сделки и эскроу, договор № {number}",
        "The exchange's deal and escrow services, contract No. {number}",
    ),
    "fee_withheld": (
        "Вознаграждение удержано из суммы, выплаченной Исполнителю с эскроу; оплаты не требуется.",
        "The fee was withheld from the escrow released to the manufacturer; nothing to pay.",
    ),
    "fee_for_buyer": (
        "Для сведения Заказчика: вознаграждение биржи оплачено Исполнителем из цены договора.",
        "For the buyer's records: the exchange's fee is paid by the manufacturer out of the contract price.",
    ),
    "footer": (
        "Документ сформирован биржей контрактного производства; SHA-256 файла указан в контрактной комнате.",
        "Issued by the contract production exchange; the file's SHA-256 is shown in the contract room.",
    ),
}


def _t(key: str, language: DocumentLanguage, **values: object) -> str:
    text = _L[key][0 if language == DocumentLanguage.ru else 1]
    return text.format(**values) if values else text


def _party_text(party: PartyFacts, language: DocumentLanguage) -> str:
    """The party as a Russian document names it: name, ИНН/КПП, ОГРН (ОГРНИП), addresses, bank account."""
    d = party.details
    if d is None:
        return f"{party.name}, {_t('legal_id', language)} {party.legal_id}, {_t('region', language)} {party.region}"
    ids = f"{_t('legal_id', language)} {d.inn}" + (f", {_t('kpp', language)} {d.kpp}" if d.kpp else "")
    ogrn = _t("ogrn" if d.entity_kind is EntityKind.legal_entity else "ogrnip", language)
    parts = [party.name, ids, f"{ogrn} {d.ogrn}", f"{_t('legal_address', language)}: {d.legal_address}"]
    if d.postal_address:
        parts.append(f"{_t('postal_address', language)}: {d.postal_address}")
    parts.append(
        f"{_t('account', language)} {d.settlement_account} {_t('in_bank', language)} {d.bank_name}, "
        f"{_t('bik', language)} {d.bik}, {_t('corr_account', language)} {d.correspondent_account}"
    )
    return "; ".join(parts)


def _signatory(party: PartyFacts, language: DocumentLanguage) -> list[str]:
    """Who signs for the party and on what authority, under its name in the signatures block."""
    d = party.details
    if d is None:
        return []
    return [f"{d.signatory_position} {d.signatory_name}, {_t('acting_on', language)} {d.basis_text(language.value)}"]


def _percent(bps: int, language: DocumentLanguage) -> str:
    text = f"{bps / 100:.2f}"
    return text.replace(".", ",") if language == DocumentLanguage.ru else text


def _rate(amount: TaxedAmount, language: DocumentLanguage) -> str:
    return _t("no_vat", language) if amount.rate is None else f"{amount.rate.normalize():f}%".replace(".", ",")


def _amount_row(
    name: str, qty: str, unit: str, amount: TaxedAmount, currency: str, lang: DocumentLanguage
) -> list[str]:
    return [
        name,
        qty,
        unit,
        money(amount.net, currency, lang),
        _rate(amount, lang),
        money(amount.vat, currency, lang),
        money(amount.gross, currency, lang),
    ]


def _amount_table(lang: DocumentLanguage, rows: list[list[str]]) -> dict[str, Any]:
    return {
        "type": "table",
        "widths": [25, 7, 14, 16, 9, 13, 16],
        "numeric_from": 1,
        "header": [_t(k, lang) for k in ("item", "qty", "unit_price", "net", "vat_rate", "vat", "gross")],
        "rows": rows,
    }


def _totals(amount: TaxedAmount, currency: str, lang: DocumentLanguage, label: str = "total") -> list[dict[str, Any]]:
    vat = money(amount.vat, currency, lang) if amount.rate is not None else _t("no_vat", lang)
    return [
        {
            "type": "totals",
            "rows": [
                [_t(label, lang), money(amount.gross, currency, lang)],
                [_t("total_vat", lang), vat],
            ],
        },
        {"type": "words", "label": _t("in_words", lang), "text": words(amount.gross, currency, lang)},
    ]


def _signatures(lang: DocumentLanguage, *parties: tuple[str, PartyFacts]) -> dict[str, Any]:
    return {
        "type": "signatures",
        "caption": _t("signatures_caption", lang),
        "parties": [[_t(role, lang), party.name, *_signatory(party, lang)] for role, party in parties],
    }


def _head(kind: DocumentKind, facts: ContractFacts, lang: DocumentLanguage, on: datetime, **sub: object) -> dict:
    return {
        "kind": kind,
        "language": lang,
        "title": _t(kind.value, lang),
        "subtitle": _t(f"{kind.value}_sub", lang, **sub),
        "date": on.date(),
        "issuer": facts.escrow_beneficiary,
        "footer": _t("footer", lang),
    }


def contract_document(facts: ContractFacts, lang: DocumentLanguage) -> DocumentContent:
    cur = facts.amounts.currency
    total = facts.amounts.total
    items = total.gross - facts.tooling_minor
    rows = [_amount_row(facts.title, str(facts.quantity), money(facts.unit_price_minor, cur, lang), total, cur, lang)]
    if facts.tooling_minor:
        blank = ["", "", ""]
        rows = [
            [
                facts.title,
                str(facts.quantity),
                money(facts.unit_price_minor, cur, lang),
                money(items, cur, lang),
                *blank,
            ],
            [_t("tooling", lang), "1", money(facts.tooling_minor, cur, lang), money(facts.tooling_minor, cur, lang)]
            + blank,
            [_t("total", lang), "", "", *_amount_row("", "", "", total, cur, lang)[3:]],
        ]
    milestones = [
        [m.name, _t("approve_first_article" if m.trigger == "approve_first_article" else "accept", lang)]
        + _amount_row("", "", "", m.amount, cur, lang)[3:]
        for m in facts.milestones
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "fields",
            "rows": [
                [_t("buyer", lang), _party_text(facts.buyer, lang)],
                [_t("manufacturer", lang), _party_text(facts.manufacturer, lang)],
                [_t("platform", lang), facts.escrow_beneficiary],
            ],
        },
        {"type": "heading", "text": _t("subject", lang)},
        {
            "type": "text",
            "text": _t(
                "subject_text",
                lang,
                title=facts.title,
                process=facts.process,
                material=facts.material,
                quantity=facts.quantity,
            ),
        },
        {"type": "heading", "text": _t("price", lang)},
        _amount_table(lang, rows),
        *_totals(total, cur, lang),
        {"type": "heading", "text": _t("milestones", lang)},
        {
            "type": "table",
            "widths": [22, 22, 16, 9, 13, 18],
            "numeric_from": 2,
            "header": [_t(k, lang) for k in ("milestone", "released_on", "net", "vat_rate", "vat", "gross")],
            "rows": milestones,
        },
        {"type": "heading", "text": _t("delivery", lang)},
        {
            "type": "text",
            "text": _t(
                "delivery_text",
                lang,
                lead=facts.lead_time_days,
                need_by=day(facts.need_by, lang),
                region=facts.delivery_region,
                confirm=facts.delivery_confirmation_days,
            ),
        },
        {"type": "heading", "text": _t("inspection", lang)},
        {"type": "text", "text": _t("inspection_text", lang, days=facts.inspection_days)},
        {"type": "heading", "text": _t("disputes", lang)},
        {"type": "text", "text": _t("disputes_text", lang)},
        {"type": "heading", "text": _t("escrow", lang)},
        {
            "type": "text",
            "text": _t(
                "escrow_text",
                lang,
                window=facts.funding_window_days,
                fee=_percent(facts.fee_bps, lang),
            ),
        },
        _signatures(lang, ("buyer", facts.buyer), ("manufacturer", facts.manufacturer)),
    ]
    return DocumentContent(
        number=facts.number, blocks=tuple(blocks), **_head(DocumentKind.contract, facts, lang, facts.awarded_at)
    )


def escrow_invoice(facts: ContractFacts, lang: DocumentLanguage) -> DocumentContent:
    cur = facts.amounts.currency
    due = facts.amounts.escrow_due
    vat_note = (
        _t("no_vat", lang).capitalize()
        if due.rate is None
        else f"{_t('vat', lang)} {_rate(due, lang)} — {money(due.vat, cur, lang)}"
    )
    pay_by = facts.awarded_at.date() + timedelta(days=facts.funding_window_days)
    blocks: list[dict[str, Any]] = [
        {
            "type": "fields",
            "rows": [
                [_t("recipient", lang), facts.escrow_beneficiary],
                [_t("bank", lang), facts.escrow_bank_details],
                [_t("payer", lang), _party_text(facts.buyer, lang)],
                [_t("manufacturer", lang), _party_text(facts.manufacturer, lang)],
                [
                    _t("purpose", lang),
                    _t("purpose_text", lang, number=facts.number, reference=facts.number, vat=vat_note),
                ],
                [_t("pay_by", lang), day(pay_by, lang)],
            ],
        },
        _amount_table(
            lang,
            [_amount_row(facts.title, str(facts.quantity), money(facts.unit_price_minor, cur, lang), due, cur, lang)],
        ),
        *_totals(due, cur, lang, "to_pay"),
        {
            "type": "text",
            "text": _t("escrow_text", lang, window=facts.funding_window_days, fee=_percent(facts.fee_bps, lang)),
        },
    ]
    return DocumentContent(
        number=facts.number, blocks=tuple(blocks), **_head(DocumentKind.escrow_invoice, facts, lang, facts.awarded_at)
    )


def closing_act(facts: ContractFacts, lang: DocumentLanguage) -> DocumentContent:
    assert facts.completed_at is not None
    cur = facts.amounts.currency
    total = facts.amounts.total
    # The accepted share of the price, with the VAT in the same proportion as the contract's (half-up to the kopeck).
    accepted = facts.released_minor
    vat = (2 * total.vat * accepted + total.gross) // (2 * total.gross) if total.gross else 0
    accepted_amount = TaxedAmount(accepted - vat, vat, accepted, total.rate, total.treatment)
    shipments = [
        [
            day(s.shipped_at, lang),
            s.tracking_reference or "—",
            day(s.delivered_at, lang) if s.delivered_at else "—",
            day(s.accepted_at, lang) if s.accepted_at else "—",
            money(s.accepted_minor, cur, lang),
        ]
        for s in facts.shipments
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "fields",
            "rows": [
                [_t("manufacturer", lang), _party_text(facts.manufacturer, lang)],
                [_t("buyer", lang), _party_text(facts.buyer, lang)],
            ],
        },
        {"type": "text", "text": _t("closing_text", lang, number=facts.number)},
        {"type": "heading", "text": _t("shipments", lang)},
        {
            "type": "table",
            "widths": [18, 28, 18, 18, 18],
            "numeric_from": 4,
            "header": [_t(k, lang) for k in ("shipped", "tracking", "delivered", "accepted", "gross")],
            "rows": shipments,
        },
        _amount_table(
            lang,
            [
                _amount_row(
                    facts.title,
                    str(facts.quantity),
                    money(facts.unit_price_minor, cur, lang),
                    accepted_amount,
                    cur,
                    lang,
                )
            ],
        ),
        *_totals(accepted_amount, cur, lang),
    ]
    if facts.refunded_minor:
        blocks.append(
            {"type": "totals", "rows": [[_t("refunded", lang), money(facts.refunded_minor, cur, lang)]]},
        )
    blocks.append(_signatures(lang, ("manufacturer", facts.manufacturer), ("buyer", facts.buyer)))
    return DocumentContent(
        number=f"{facts.number}/A",
        blocks=tuple(blocks),
        **_head(DocumentKind.closing_act, facts, lang, facts.completed_at),
    )


def fee_invoice(facts: ContractFacts, lang: DocumentLanguage, *, to_manufacturer: bool) -> DocumentContent:
    """The platform's invoice for its fee. The fee is the manufacturer's (withheld from its payout); the buyer's copy
    states it for the buyer's books with nothing to pay."""
    assert facts.completed_at is not None
    cur = facts.amounts.currency
    fee = facts.amounts.platform_fee
    addressee = facts.manufacturer if to_manufacturer else facts.buyer
    blocks: list[dict[str, Any]] = [
        {
            "type": "fields",
            "rows": [
                [_t("platform", lang), facts.escrow_beneficiary],
                [_t("addressee", lang), _party_text(addressee, lang)],
            ],
        },
        _amount_table(lang, [_amount_row(_t("fee_service", lang, number=facts.number), "1", "", fee, cur, lang)]),
        *_totals(fee, cur, lang),
        {"type": "text", "text": _t("fee_withheld" if to_manufacturer else "fee_for_buyer", lang)},
    ]
    return DocumentContent(
        number=f"{facts.number}/F{'M' if to_manufacturer else 'B'}",
        blocks=tuple(blocks),
        **_head(DocumentKind.fee_invoice, facts, lang, facts.completed_at, number=facts.number),
    )
