"""What the account e-mails say, in both languages with the recipient's first (Russian unless the account reads
English: the link may reach a colleague who reads the other), and the single-use link."""

from __future__ import annotations

from urllib.parse import urlencode

from domain.identity.models import AccountTokenPurpose, Language
from domain.ports.mail import EmailMessage

# purpose -> (path of the web app's page, subject, Russian paragraphs, English paragraphs); {link} and {hours} are
# filled in. (Paragraphs, not one string with "\n": a line break glued to a Cyrillic word reads as mixed scripts.)
_TEXTS: dict[AccountTokenPurpose, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    AccountTokenPurpose.verify_email: (
        "/verify-email",
        "Подтвердите адрес электронной почты / Confirm your e-mail address",
        (
            "Чтобы подтвердить этот адрес для биржи контрактного производства, откройте ссылку:",
            "{link}",
            "Ссылка действует {hours} ч. и срабатывает один раз. Если вы не регистрировались, ничего делать не нужно.",
        ),
        (
            "To confirm this address for the Contract Production Exchange, open the link:",
            "{link}",
            "The link works once, for {hours} hours. If you did not sign up, there is nothing to do.",
        ),
    ),
    AccountTokenPurpose.reset_password: (
        "/reset-password",
        "Новый пароль / Set a new password",
        (
            "Кто-то (надеемся, вы) попросил сменить пароль на бирже контрактного производства. Задайте новый пароль "
            "по ссылке:",
            "{link}",
            "Ссылка действует {hours} ч. и срабатывает один раз; после смены пароля все входы в аккаунт завершатся. "
            "Если вы не просили, просто удалите это письмо: пароль останется прежним.",
        ),
        (
            "Someone (we hope you) asked to change your Contract Production Exchange password. Set a new one here:",
            "{link}",
            "The link works once, for {hours} hours; setting a password signs every session out. If it was not you, "
            "delete this e-mail: your password stays as it is.",
        ),
    ),
}


def account_email(
    purpose: AccountTokenPurpose,
    *,
    to: str,
    token: str,
    public_url: str,
    valid_hours: float,
    language: Language = Language.ru,
) -> EmailMessage:
    path, subject, russian, english = _TEXTS[purpose]
    link = f"{public_url.rstrip('/')}{path}?{urlencode({'token': token})}"
    hours = f"{valid_hours:g}"
    paragraphs = [*russian, "---", *english]
    if language == Language.en:
        subject = " / ".join(reversed(subject.split(" / ")))
        paragraphs = [*english, "---", *russian]
    body = "\n\n".join(paragraph.format(link=link, hours=hours) for paragraph in paragraphs)
    return EmailMessage(to=to, subject=subject, body=body)
