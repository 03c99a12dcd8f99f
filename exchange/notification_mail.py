"""The notification e-mail's subject and text in Russian, worded from the notification's params (the same sentences
as the web app's web/src/notifications/messages.ts). Users have no language setting yet, and the exchange's users
are Russian-speaking, so every e-mail is in Russian; a notification written before params existed goes out with
its stored English title and body. Instants are Moscow time, money and quantities grouped as Russian writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.documents import words
from domain.money import CURRENCY_EXPONENTS, Money
from domain.notifications import params as n
from domain.notifications.models import Notification
from exchange.mail_regions import REGION_NAMES_RU

FOOTER = "\n\n-- \nБиржа контрактного производства. Какие письма присылать, можно выбрать в настройках уведомлений."

try:
    MOSCOW: timezone | ZoneInfo = ZoneInfo("Europe/Moscow")
except ZoneInfoNotFoundError:  # no tz database: Moscow keeps UTC+3 all year
    MOSCOW = timezone(timedelta(hours=3))

_SYMBOLS = {"RUB": "₽"}
NBSP = "\u00a0"

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


def number(value: int) -> str:
    return f"{value:,}".replace(",", NBSP)


def money(value: Money) -> str:
    amount = Decimal(value.minor_units).scaleb(-CURRENCY_EXPONENTS[value.currency])
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    text = f"{int(whole):,}".replace(",", NBSP) + ("" if not fraction.strip("0") else f",{fraction}")
    return f"{'-' if amount < 0 else ''}{text}{NBSP}{_SYMBOLS.get(value.currency, value.currency)}"


def instant(value: datetime) -> str:
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(MOSCOW)
    return local.strftime("%d.%m.%Y, %H:%M") + " (МСК)"


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def plural(count: int, one: str, few: str, many: str) -> str:
    return f"{number(count)} {words.plural(count, (one, few, many))}"


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def word(notice: n.Notice) -> tuple[str, str]:
    """The subject and the text of one notification in Russian."""
    match notice:
        case n.OrderMatched():
            return (
                f"Новый заказ по поиску «{notice.search_name}»: {notice.order_title}",
                f"{number(notice.quantity)} шт., {notice.material}, доставка: "
                f"{REGION_NAMES_RU.get(notice.delivery_region, notice.delivery_region)}; "
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


def letter(notification: Notification) -> tuple[str, str]:
    """The e-mail's subject and text: worded in Russian from the params, else the stored English."""
    notice = n.notice_of(notification.params)
    subject, body = word(notice) if notice is not None else (notification.title, notification.body or "")
    return subject[:200], body + FOOTER
