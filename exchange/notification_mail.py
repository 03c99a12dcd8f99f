"""The notification e-mail's subject and text in the recipient's language (Russian or English, the user's
`language`), worded from the notification's params: the same sentences as the web app's
web/src/notifications/messages.ts, with money, numbers, dates and regions formatted as the web app formats them
(ru-RU and en-GB through Intl: «1 200,50 ₽», «13.12.2026, 14:03»; "RUB 1,200.50", "13/12/2026, 14:03").
tests/api/test_notification_wording.py keeps the two equal: it words every case of
web/src/notifications/wording.cases.json, which the web app's own test words too. Instants are Moscow time, and
say so (the web app shows the reader's zone; an e-mail cannot know it). A notification written before params
existed goes out with its stored English title and body."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.documents import words
from domain.money import CURRENCY_EXPONENTS, Money
from domain.notifications import params as n
from domain.notifications.models import Notification
from exchange.mail_regions import REGION_NAMES

FOOTERS: dict[str, str] = {
    "ru": "\n\n-- \nБиржа контрактного производства. Какие письма присылать, можно выбрать в настройках уведомлений.",
    "en": "\n\n-- \nContract Production Exchange. Choose which e-mails you get in your notification settings.",
}
FOOTER = FOOTERS["ru"]
# What follows an instant: the zone it is written in.
ZONE: dict[str, str] = {"ru": " (МСК)", "en": " (Moscow time)"}

try:
    MOSCOW: timezone | ZoneInfo = ZoneInfo("Europe/Moscow")
except ZoneInfoNotFoundError:  # no tz database: Moscow keeps UTC+3 all year
    MOSCOW = timezone(timedelta(hours=3))

NBSP = "\u00a0"
# Currency signs as Intl writes them in ru-RU (after the amount) and en-GB (before it); a currency without a sign
# is written by its code, after the amount in Russian and before it, spaced, in English.
_SIGNS: dict[str, dict[str, str]] = {
    "ru": {"RUB": "₽", "USD": "$", "EUR": "€", "CNY": "CN¥", "GBP": "£", "INR": "₹", "JPY": "¥", "KRW": "₩"},
    "en": {"USD": "US$", "EUR": "€", "CNY": "CN¥", "GBP": "£", "INR": "₹", "JPY": "JP¥", "KRW": "₩"},
}

_RANK = {"top_3": "в первой тройке", "top_half": "в верхней половине", "lower_half": "в нижней половине"}
_PRICE = {
    "below_winner": "ниже победителя",
    "within_5_pct": "в пределах 5%",
    "within_15_pct": "в пределах 15%",
    "within_30_pct": "в пределах 30%",
    "over_30_pct": "дороже более чем на 30%",
}
_LOST = {
    "price": "цена",
    "lead_time": "срок изготовления",
    "track_record": "история работы",
    "capability": "возможности",
    "certifications": "сертификаты",
    "location": "расположение",
    "terms": "условия",
    "other": "другое",
}
_STATUS = {
    "pending_funding": "ожидает оплаты",
    "funded": "оплачен",
    "in_production": "в производстве",
    "first_article_review": "проверка первого образца",
    "shipped": "отгружен",
    "inspection": "приёмка",
    "disputed": "спор",
    "completed": "завершён",
    "cancelled": "отменён",
}
_STEP = {
    "award": "Предложение выбрано, контракт заключён",
    "fund": "Оплата поступила на эскроу",
    "funding_expired": "Срок оплаты истёк",
    "start_production": "Производство начато",
    "submit_first_article": "Первый образец предъявлен",
    "approve_first_article": "Первый образец принят",
    "reject_first_article": "Первый образец возвращён",
    "ship": "Партия отгружена",
    "confirm_delivery": "Получение подтверждено",
    "accept": "Партия принята",
    "auto_accept": "Партия принята автоматически",
    "dispute": "Открыт спор",
    "resolve": "Спор разрешён",
    "cancel": "Контракт расторгнут",
    "operator_cancel": "Контракт расторгнут оператором",
}
_DUE = {
    "pending_funding": "Внесите оплату на эскроу до {due}, иначе контракт будет расторгнут.",
    "shipped": "Подтвердите получение до {due}, иначе оно будет считаться подтверждённым.",
    "inspection": "Примите партию или откройте спор до {due}, иначе партия будет принята автоматически.",
}


_RANK_EN = {"top_3": "top 3", "top_half": "top half", "lower_half": "lower half"}
_PRICE_EN = {
    "below_winner": "below the winner",
    "within_5_pct": "within 5%",
    "within_15_pct": "within 15%",
    "within_30_pct": "within 30%",
    "over_30_pct": "over 30% above",
}
_LOST_EN = {
    "price": "price",
    "lead_time": "lead time",
    "track_record": "track record",
    "capability": "capability",
    "certifications": "certifications",
    "location": "location",
    "terms": "terms",
    "other": "other",
}
_STATUS_EN = {
    "pending_funding": "awaiting funding",
    "funded": "funded",
    "in_production": "in production",
    "first_article_review": "first article review",
    "shipped": "shipped",
    "inspection": "inspection",
    "disputed": "disputed",
    "completed": "completed",
    "cancelled": "cancelled",
}
_STEP_EN = {
    "award": "Bid awarded, contract made",
    "fund": "Payment received in escrow",
    "funding_expired": "Funding window expired",
    "start_production": "Production started",
    "submit_first_article": "First article submitted",
    "approve_first_article": "First article approved",
    "reject_first_article": "First article rejected",
    "ship": "Parts shipped",
    "confirm_delivery": "Delivery confirmed",
    "accept": "Parts accepted",
    "auto_accept": "Parts accepted automatically",
    "dispute": "Dispute opened",
    "resolve": "Dispute resolved",
    "cancel": "Contract cancelled",
    "operator_cancel": "Contract cancelled by an operator",
}
_DUE_EN = {
    "pending_funding": "Fund escrow by {due}, or the contract is cancelled.",
    "shipped": "Confirm delivery by {due}, or it is taken as delivered.",
    "inspection": "Accept the delivery or open a dispute by {due}, or it is accepted automatically.",
}


def number(value: int, language: str = "ru") -> str:
    """Grouped as Intl groups it: «12 500» in Russian, "12,500" in English."""
    return f"{value:,}".replace(",", NBSP if language == "ru" else ",")


def money(value: Money, language: str = "ru") -> str:
    """As the web app's formatMoney: whole amounts without kopecks, any kopecks in full; the sign where Intl
    puts it («150 000 ₽», "RUB 150,000", "US$5,000.50")."""
    amount = Decimal(value.minor_units).scaleb(-CURRENCY_EXPONENTS[value.currency])
    fractional = amount != amount.to_integral_value()
    text = f"{abs(amount):,.2f}" if fractional else f"{abs(amount):,.0f}"
    minus = "-" if amount < 0 else ""
    sign = _SIGNS[language].get(value.currency)
    if language == "ru":
        text = text.replace(",", NBSP).replace(".", ",")
        return f"{minus}{text}{NBSP}{sign or value.currency}"
    return f"{minus}{sign}{text}" if sign else f"{minus}{value.currency}{NBSP}{text}"


def instant(value: datetime, language: str = "ru") -> str:
    """Moscow time, as the web app writes an instant (ru-RU «25.03.2026, 14:00», en-GB "25/03/2026, 14:00")."""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(MOSCOW)
    shown = local.strftime("%d.%m.%Y, %H:%M") if language == "ru" else local.strftime("%d/%m/%Y, %H:%M")
    return shown + ZONE[language]


def day(value: date, language: str = "ru") -> str:
    return value.strftime("%d.%m.%Y") if language == "ru" else value.strftime("%d/%m/%Y")


def region(code: str, language: str = "ru") -> str:
    return REGION_NAMES[language].get(code, code)


def plural(count: int, one: str, few: str, many: str) -> str:
    return f"{number(count)} {words.plural(count, (one, few, many))}"


def _plural_en(count: int, one: str, other: str) -> str:
    return f"{number(count, 'en')} {one if count == 1 else other}"


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def word(notice: n.Notice, language: str = "ru") -> tuple[str, str]:
    """The subject and the text of one notification in `language` ("ru" or "en"; anything else reads Russian)."""
    return _word_en(notice) if language == "en" else _word_ru(notice)


def _word_ru(notice: n.Notice) -> tuple[str, str]:
    match notice:
        case n.OrderMatched():
            return (
                f"Новый заказ по поиску «{notice.search_name}»: {notice.order_title}",
                f"{number(notice.quantity)} шт., {notice.material}, доставка: "
                f"{region(notice.delivery_region, 'ru')}; "
                f"приём предложений до {instant(notice.bidding_deadline)}.",
            )
        case n.BidReceived():
            return (
                f"Новое предложение по заказу «{notice.order_title}»",
                f"{money(notice.total)}, срок изготовления — {plural(notice.lead_time_days, 'день', 'дня', 'дней')}.",
            )
        case n.BidAwarded():
            return (
                f"Ваше предложение по заказу «{notice.order_title}» выбрано",
                f"Контракт на {number(notice.quantity)} шт. ждёт, когда заказчик внесёт оплату на эскроу.",
            )
        case n.BidLost():
            basis = "Цена за штуку" if notice.by_unit_price else "Сумма"
            reason = f"Причина, которую назвал заказчик: {_LOST[notice.lost_reason]}." if notice.lost_reason else ""
            return (
                f"Заказ «{notice.order_title}» отдан другому предложению",
                _join(
                    f"Ваше место по цене: {_RANK[notice.rank_band]}. {basis} по сравнению с выбранным: "
                    f"{_PRICE[notice.price_band]}.",
                    reason,
                ),
            )
        case n.ContractStepTaken():
            return (
                f"{_STEP.get(notice.transition, notice.transition)}: заказ «{notice.order_title}»",
                f"Статус контракта: {_STATUS[notice.status]}.",
            )
        case n.BidReinstated():
            return (
                f"Заказ «{notice.order_title}» снова открыт для выбора",
                "Выбранный контракт расторгнут, и ваше предложение снова рассматривается. "
                f"Оно действует до {day(notice.valid_until)}: подтвердите его или отзовите.",
            )
        case n.AwardReopened():
            return (
                f"«{notice.order_title}»: снова можно выбрать исполнителя на {number(notice.quantity)} шт.",
                "Контракт расторгнут. Предложений, которые ещё действуют и могут быть выбраны: "
                f"{number(notice.bids_reinstated)}.",
            )
        case n.CardPaymentFailed():
            return (
                f"Оплата картой по заказу «{notice.order_title}» не прошла",
                _join(
                    f"Ответ банка: {notice.bank_reason}" if notice.bank_reason else "Банк отклонил платёж.",
                    "Контракт по-прежнему ждёт оплаты: оплатите снова или банковским переводом.",
                ),
            )
        case n.ChargebackOpened():
            return (
                f"Платёж по заказу «{notice.order_title}» оспорен банком: выплаты заморожены",
                _join(
                    f"Банк заказчика оспаривает {money(notice.amount)}. Пока спор не закрыт, с эскроу ничего не "
                    "выплачивается.",
                    f"Код причины: {notice.bank_reason}." if notice.bank_reason else "",
                ),
            )
        case n.ChargebackClosed():
            if notice.lost:
                return (
                    f"Спор банка по заказу «{notice.order_title}» закрыт: платёж возвращён",
                    "Банк вернул платёж: урегулируйте контракт со сторонами (расторжение или решение спора).",
                )
            return (
                f"Спор банка по заказу «{notice.order_title}» закрыт: платёж сохранён",
                "Платежи по контракту продолжаются как прежде.",
            )
        case n.CardRefundRecorded():
            return (
                f"Возврат через Stripe по заказу «{notice.order_title}»",
                f"{money(notice.amount)} возвращено заказчику вне биржи; эскроу это учло. Проверьте этапы контракта.",
            )
        case n.ProviderPaymentGivenUp():
            what = {"payout": "Выплату", "refund": "Возврат"}.get(notice.payment_kind, "Платёж")
            return (
                f"{what} не удалось провести через платёжного провайдера",
                f"Неудачных попыток: {number(notice.attempts)}, последний ответ: {notice.last_error}. В разделе "
                "«Платежи» консоли оператора повторите его (дважды он не пройдёт) или проведите вручную и отметьте "
                "решённым с причиной.",
            )
        case n.BiddingClosesSoon():
            deadline = instant(notice.bidding_deadline)
            return (
                f"Приём предложений по заказу «{notice.order_title}» закрывается в течение суток",
                f"Вас пригласили сделать предложение; приём закрывается {deadline}."
                if notice.invited
                else f"Приём предложений закрывается {deadline}.",
            )
        case n.ContractStepDue():
            return (
                f"Контракт по заказу «{notice.order_title}»: срок вашего шага истекает в течение суток",
                _DUE.get(notice.status, "Срок — {due}.").format(due=instant(notice.due_at)),
            )
        case n.QuestionAsked():
            return f"Вопрос по заказу «{notice.order_title}»", notice.question
        case n.QuestionAnswered():
            return (
                f"Заказчик ответил на вопрос по заказу «{notice.order_title}»",
                f"Вопрос: {notice.question}\nОтвет: {notice.answer}",
            )
        case n.MessageReceived():
            return (
                "Новое сообщение по контракту",
                notice.excerpt or plural(notice.attachment_count, "вложение", "вложения", "вложений"),
            )
        case n.ReviewReceived():
            return (
                "О вас оставили отзыв по завершённому контракту",
                "Отзыв уже опубликован."
                if notice.visible_now
                else "Он станет виден, когда вы тоже оставите отзыв или закончится срок для отзывов.",
            )
        case n.OrderFileRevised():
            return f"Редакция {notice.revision} файла {notice.file_name}: {notice.order_title}", notice.note
    raise ValueError(f"no Russian wording for {notice.shape}")


def _word_en(notice: n.Notice) -> tuple[str, str]:
    def num(value: int) -> str:
        return number(value, "en")

    match notice:
        case n.OrderMatched():
            return (
                f"New order matching “{notice.search_name}”: {notice.order_title}",
                f"{num(notice.quantity)} pcs, {notice.material}, delivery to {region(notice.delivery_region, 'en')}; "
                f"bidding closes {instant(notice.bidding_deadline, 'en')}.",
            )
        case n.BidReceived():
            return (
                f"New bid on “{notice.order_title}”",
                f"{money(notice.total, 'en')}, lead time {_plural_en(notice.lead_time_days, 'day', 'days')}.",
            )
        case n.BidAwarded():
            return (
                f"Your bid on “{notice.order_title}” was accepted",
                f"The contract for {num(notice.quantity)} pcs awaits the buyer's funding of escrow.",
            )
        case n.BidLost():
            basis = "Unit price" if notice.by_unit_price else "Total"
            reason = f"The buyer's reason: {_LOST_EN[notice.lost_reason]}." if notice.lost_reason else ""
            return (
                f"“{notice.order_title}” was awarded to another bid",
                _join(
                    f"Your rank by price: {_RANK_EN[notice.rank_band]}. {basis} against the winning bid: "
                    f"{_PRICE_EN[notice.price_band]}.",
                    reason,
                ),
            )
        case n.ContractStepTaken():
            return (
                f"{_STEP_EN.get(notice.transition, notice.transition)}: “{notice.order_title}”",
                f"The contract is now: {_STATUS_EN[notice.status]}.",
            )
        case n.BidReinstated():
            return (
                f"“{notice.order_title}” is open for award again",
                "The awarded contract was cancelled and your bid is back in the running. "
                f"It stands until {day(notice.valid_until, 'en')}: confirm it still holds, or withdraw it.",
            )
        case n.AwardReopened():
            return (
                f"“{notice.order_title}”: {num(notice.quantity)} pcs to award again",
                f"The contract was cancelled. Bids that still hold and can be awarded: {num(notice.bids_reinstated)}.",
            )
        case n.CardPaymentFailed():
            return (
                f"Card payment failed for “{notice.order_title}”",
                _join(
                    f"The bank said: {notice.bank_reason}" if notice.bank_reason else "The bank declined the payment.",
                    "The contract still awaits funding: pay again or by bank transfer.",
                ),
            )
        case n.ChargebackOpened():
            return (
                f"Card chargeback on “{notice.order_title}”: payments frozen",
                _join(
                    f"The buyer's bank disputes {money(notice.amount, 'en')}. Nothing is released from escrow until "
                    "the chargeback closes.",
                    f"Reason code: {notice.bank_reason}." if notice.bank_reason else "",
                ),
            )
        case n.ChargebackClosed():
            if notice.lost:
                return (
                    f"Card chargeback on “{notice.order_title}” closed: the payment was taken back",
                    "The bank took the payment back: settle the contract with the parties (cancel or resolve).",
                )
            return (
                f"Card chargeback on “{notice.order_title}” closed: the payment stands",
                "Payments on the contract go on as before.",
            )
        case n.CardRefundRecorded():
            return (
                f"Refund made in Stripe on “{notice.order_title}”",
                f"{money(notice.amount, 'en')} went back to the buyer outside the exchange; escrow records it. "
                "Check the contract's milestones.",
            )
        case n.ProviderPaymentGivenUp():
            what = {"payout": "A payout", "refund": "A refund"}.get(notice.payment_kind, "A payment")
            return (
                f"{what} could not be made through the payment provider",
                f"{num(notice.attempts)} attempts failed; the last answer: {notice.last_error}. In the operator "
                "console's payments: retry it (it is never paid twice), or make it by hand and mark it resolved with "
                "the reason.",
            )
        case n.BiddingClosesSoon():
            deadline = instant(notice.bidding_deadline, "en")
            return (
                f"Bidding on “{notice.order_title}” closes within 24 hours",
                f"You were invited to bid; bidding closes {deadline}."
                if notice.invited
                else f"Bidding closes {deadline}.",
            )
        case n.ContractStepDue():
            return (
                f"Contract for “{notice.order_title}”: your step is due within 24 hours",
                _DUE_EN.get(notice.status, "Due {due}.").format(due=instant(notice.due_at, "en")),
            )
        case n.QuestionAsked():
            return f"A question on “{notice.order_title}”", notice.question
        case n.QuestionAnswered():
            return (
                f"A question on “{notice.order_title}” was answered",
                f"Q: {notice.question}\nA: {notice.answer}",
            )
        case n.MessageReceived():
            return (
                "A new message on your contract",
                notice.excerpt or _plural_en(notice.attachment_count, "attachment", "attachments"),
            )
        case n.ReviewReceived():
            return (
                "You were reviewed on a completed contract",
                "It is visible now."
                if notice.visible_now
                else "It shows once you review too, or when the review period ends.",
            )
        case n.OrderFileRevised():
            return f"Revision {notice.revision} of {notice.file_name}: {notice.order_title}", notice.note
    raise ValueError(f"no English wording for {notice.shape}")


def letter(notification: Notification, language: str = "ru") -> tuple[str, str]:
    """The e-mail's subject and text: worded in `language` from the params, else the stored English."""
    notice = n.notice_of(notification.params)
    subject, body = word(notice, language) if notice is not None else (notification.title, notification.body or "")
    return subject[:200], body + FOOTERS.get(language, FOOTER)
