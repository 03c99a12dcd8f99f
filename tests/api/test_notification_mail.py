"""Notification e-mails in Russian (the default language): every shape worded from its params (no English, no ISO
instants, no region codes), money and quantities grouped, instants in Moscow time; rows without params keep their
English text. The English wording, and that both match the web app's, is tests/unit/test_notification_wording.py."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

import pytest

from domain.bids.feedback import LostReason, PriceBand, RankBand
from domain.contracts.process import ContractStatus
from domain.money import Money
from domain.notifications import params as n
from domain.notifications.models import Notification, NotificationKind
from exchange.mail_regions import REGION_NAMES_EN, REGION_NAMES_RU
from exchange.notification_mail import FOOTER, FOOTERS, letter, word

AT = datetime(2026, 3, 25, 11, 0, tzinfo=UTC)  # 14:00 in Moscow
NB = "\u00a0"

CASES: list[tuple[n.Notice, str, str]] = [
    (
        n.OrderMatched("Кронштейн", "Фрезеровка", 12500, "Д16Т", "RU-SVE", AT),
        "Новый заказ по поиску «Фрезеровка»: Кронштейн",
        f"12{NB}500 шт., Д16Т, доставка: Свердловская область; приём предложений до 25.03.2026, 14:00 (МСК).",
    ),
    (
        n.BidReceived("Фланец", Money(15000000, "RUB"), 22),
        "Новое предложение по заказу «Фланец»",
        f"150{NB}000{NB}₽, срок изготовления — 22 дня.",
    ),
    (
        n.BidAwarded("Корпус", 1500),
        "Ваше предложение по заказу «Корпус» выбрано",
        f"Контракт на 1{NB}500 шт. ждёт, когда заказчик внесёт оплату на эскроу.",
    ),
    (
        n.BidLost("Корпус", RankBand.top_3, PriceBand.within_5_pct, by_unit_price=True, lost_reason=LostReason.price),
        "Заказ «Корпус» отдан другому предложению",
        "Ваше место по цене: в первой тройке. Цена за штуку по сравнению с выбранным: в пределах 5%. "
        "Причина, которую назвал заказчик: цена.",
    ),
    (
        n.ContractStepTaken("Корпус", "ship", ContractStatus.shipped),
        "Партия отгружена: заказ «Корпус»",
        "Статус контракта: отгружен.",
    ),
    (
        n.BidReinstated("Корпус", date(2026, 12, 20)),
        "Заказ «Корпус» снова открыт для выбора",
        "Выбранный контракт расторгнут, и ваше предложение снова рассматривается. Оно действует до 20.12.2026: "
        "подтвердите его или отзовите.",
    ),
    (
        n.AwardReopened("Корпус", 2000, 3),
        f"«Корпус»: снова можно выбрать исполнителя на 2{NB}000 шт.",
        "Контракт расторгнут. Предложений, которые ещё действуют и могут быть выбраны: 3.",
    ),
    (
        n.CardPaymentFailed("Вал", ""),
        "Оплата картой по заказу «Вал» не прошла",
        "Банк отклонил платёж. Контракт по-прежнему ждёт оплаты: оплатите снова или банковским переводом.",
    ),
    (
        n.ChargebackOpened("Вал", Money(9876540, "RUB"), "fraudulent"),
        "Платёж по заказу «Вал» оспорен банком: выплаты заморожены",
        f"Банк заказчика оспаривает 98{NB}765,40{NB}₽. Пока спор не закрыт, с эскроу ничего не выплачивается. "
        "Код причины: fraudulent.",
    ),
    (
        n.ChargebackClosed("Вал", lost=False, outcome="won"),
        "Спор банка по заказу «Вал» закрыт: платёж сохранён",
        "Платежи по контракту продолжаются как прежде.",
    ),
    (
        n.CardRefundRecorded("Вал", Money(500000, "USD")),
        "Возврат через Stripe по заказу «Вал»",
        f"5{NB}000{NB}$ возвращено заказчику вне биржи; эскроу это учло. Проверьте этапы контракта.",
    ),
    (
        n.ProviderPaymentGivenUp("refund", 5, "card expired"),
        "Возврат не удалось провести через платёжного провайдера",
        "Неудачных попыток: 5, последний ответ: card expired. В разделе «Платежи» консоли оператора повторите его "
        "(дважды он не пройдёт) или проведите вручную и отметьте решённым с причиной.",
    ),
    (
        n.BiddingClosesSoon("Шестерня", AT, invited=True),
        "Приём предложений по заказу «Шестерня» закрывается в течение суток",
        "Вас пригласили сделать предложение; приём закрывается 25.03.2026, 14:00 (МСК).",
    ),
    (
        n.ContractStepDue("Втулка", ContractStatus.inspection, AT),
        "Контракт по заказу «Втулка»: срок вашего шага истекает в течение суток",
        "Примите партию или откройте спор до 25.03.2026, 14:00 (МСК), иначе партия будет принята автоматически.",
    ),
    (
        n.QuestionAsked("Корпус клапана", "Ревизия C окончательная?"),
        "Вопрос по заказу «Корпус клапана»",
        "Ревизия C окончательная?",
    ),
    (
        n.QuestionAnswered("Корпус клапана", "Ревизия C окончательная?", "Да."),
        "Заказчик ответил на вопрос по заказу «Корпус клапана»",
        "Вопрос: Ревизия C окончательная?\nОтвет: Да.",
    ),
    (n.MessageReceived("", 5), "Новое сообщение по контракту", "5 вложений"),
    (
        n.ReviewReceived(visible_now=True),
        "О вас оставили отзыв по завершённому контракту",
        "Отзыв уже опубликован.",
    ),
    (
        n.OrderFileRevised("Кронштейн", "bracket.step", 3, "Отверстия Ø8"),
        "Редакция 3 файла bracket.step: Кронштейн",
        "Отверстия Ø8",
    ),
]


def test_every_shape_has_a_case() -> None:
    assert sorted(type(notice).__name__ for notice, _, _ in CASES) == sorted(c.__name__ for c in n.NOTICES.values())


@pytest.mark.parametrize(("notice", "subject", "body"), CASES, ids=[type(c[0]).__name__ for c in CASES])
def test_each_shape_is_worded_in_russian(notice: n.Notice, subject: str, body: str) -> None:
    assert word(notice) == (subject, body)
    assert not re.search(r"\d{4}-\d\d-\d\dT|RU-[A-Z]{2,3}\b", subject + body)


def test_a_notification_is_mailed_in_russian_and_one_without_params_in_its_stored_english() -> None:
    def row(params: dict[str, object] | None) -> Notification:
        return Notification(
            id=uuid4(),
            user_id=uuid4(),
            kind=NotificationKind.bid_awarded,
            title="Your bid on “Корпус” was accepted",
            body="The contract awaits the buyer's funding of escrow.",
            params=params,
            created_at=AT,
        )

    worded = letter(row(n.as_json(n.BidAwarded("Корпус", 40))))
    legacy = letter(row(None))

    assert worded == (
        "Ваше предложение по заказу «Корпус» выбрано",
        "Контракт на 40 шт. ждёт, когда заказчик внесёт оплату на эскроу." + FOOTER,
    )
    assert legacy == (
        "Your bid on “Корпус” was accepted",
        "The contract awaits the buyer's funding of escrow." + FOOTER,
    )


def test_the_mail_names_regions_as_the_web_app_does() -> None:
    source = (Path(__file__).resolve().parents[2] / "web/src/i18n/regions.ts").read_text()
    names = re.findall(r'"(RU-[A-Z]+)": \{ ru: "([^"]+)", en: "([^"]+)" \}', source)
    assert len(names) > 80
    assert {code: ru for code, ru, _ in names} == REGION_NAMES_RU
    assert {code: en for code, _, en in names} == REGION_NAMES_EN


def test_a_notification_is_mailed_in_english_to_an_english_reader() -> None:
    notification = Notification(
        id=uuid4(),
        user_id=uuid4(),
        kind=NotificationKind.bid_received,
        title="New bid",
        body="",
        params=n.as_json(n.BidReceived("Фланец", Money(120050, "RUB"), 3)),
        created_at=AT,
    )

    assert letter(notification, "en") == ("New bid on “Фланец”", f"RUB{NB}1,200.50, lead time 3 days." + FOOTERS["en"])
    assert letter(notification, "ru") == (
        "Новое предложение по заказу «Фланец»",
        f"1{NB}200,50{NB}₽, срок изготовления — 3 дня." + FOOTERS["ru"],
    )
