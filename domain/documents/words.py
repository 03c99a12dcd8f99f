"""Amounts in words, as Russian accounting documents state them next to the figures («сумма прописью»):
«Сто двадцать три тысячи четыреста пятьдесят шесть рублей 78 копеек».

Russian numerals agree with the noun they count: thousands are feminine (одна тысяча, две тысячи), roubles
masculine (один рубль, два рубля); the noun takes one of three forms by the last two digits (1 рубль,
2–4 рубля, 5–20 and 0 рублей, with 11–14 always the third form). Kopecks are written in figures, as is usual
on invoices and acts. English copies use `amount_in_words_en`.
"""

from __future__ import annotations

from typing import Literal

Gender = Literal["m", "f"]

_UNITS_M = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_UNITS_F = ("", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто")
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот")

# Each power of a thousand: its gender and its three forms (one, few, many).
_SCALES: tuple[tuple[Gender, tuple[str, str, str]], ...] = (
    ("m", ("", "", "")),
    ("f", ("тысяча", "тысячи", "тысяч")),
    ("m", ("миллион", "миллиона", "миллионов")),
    ("m", ("миллиард", "миллиарда", "миллиардов")),
    ("m", ("триллион", "триллиона", "триллионов")),
)

CURRENCY_FORMS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "RUB": (("рубль", "рубля", "рублей"), ("копейка", "копейки", "копеек")),
    "USD": (("доллар США", "доллара США", "долларов США"), ("цент", "цента", "центов")),
    "EUR": (("евро", "евро", "евро"), ("цент", "цента", "центов")),
    "CNY": (("юань", "юаня", "юаней"), ("фэнь", "фэня", "фэней")),
}


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """The form of a noun counted by `n`: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    n = abs(n) % 100
    if 11 <= n <= 14:
        return forms[2]
    last = n % 10
    if last == 1:
        return forms[0]
    if 2 <= last <= 4:
        return forms[1]
    return forms[2]


def _triple(n: int, gender: Gender) -> list[str]:
    words = [_HUNDREDS[n // 100]]
    rest = n % 100
    if 10 <= rest <= 19:
        words.append(_TEENS[rest - 10])
    else:
        words.append(_TENS[rest // 10])
        words.append((_UNITS_F if gender == "f" else _UNITS_M)[rest % 10])
    return [word for word in words if word]


def number_in_words(n: int, gender: Gender = "m") -> str:
    """A whole number in Russian words, agreeing with a noun of `gender` («одна», «две» for feminine)."""
    if n < 0:
        return "минус " + number_in_words(-n, gender)
    if n == 0:
        return "ноль"
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    if len(groups) > len(_SCALES):
        raise ValueError("number too large to write in words")
    words: list[str] = []
    for power in range(len(groups) - 1, -1, -1):
        group = groups[power]
        if group == 0:
            continue
        scale_gender, forms = _SCALES[power]
        words.extend(_triple(group, gender if power == 0 else scale_gender))
        if power:
            words.append(plural(group, forms))
    return " ".join(words)


def amount_in_words(minor_units: int, currency: str = "RUB") -> str:
    """«Сто двадцать три тысячи четыреста пятьдесят шесть рублей 78 копеек» for 12345678 RUB minor units."""
    if currency not in CURRENCY_FORMS:
        raise ValueError(f"no words for {currency}")
    major_forms, minor_forms = CURRENCY_FORMS[currency]
    sign = "минус " if minor_units < 0 else ""
    major, minor = divmod(abs(minor_units), 100)
    # Roubles, dollars, euros, yuan are masculine or indeclinable; kopecks are feminine but written in figures.
    text = f"{sign}{number_in_words(major)} {plural(major, major_forms)} {minor:02d} {plural(minor, minor_forms)}"
    return text[0].upper() + text[1:]


_EN_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_SCALES = ("", "thousand", "million", "billion", "trillion")
_EN_CURRENCY = {"RUB": ("roubles", "kopecks"), "USD": ("US dollars", "cents"), "EUR": ("euros", "cents")}


def _en_below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{_EN_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        words.append(_EN_TENS[n // 10] + (f"-{_EN_ONES[n % 10]}" if n % 10 else ""))
    elif n:
        words.append(_EN_ONES[n])
    return " ".join(words)


def amount_in_words_en(minor_units: int, currency: str = "RUB") -> str:
    """The English copy's words: «One hundred twenty-three thousand four hundred fifty-six roubles 78 kopecks»."""
    major_name, minor_name = _EN_CURRENCY.get(currency, (currency, "minor units"))
    major, minor = divmod(abs(minor_units), 100)
    parts: list[str] = []
    power = 0
    rest = major
    while rest:
        rest, group = divmod(rest, 1000)
        if group:
            parts.insert(0, _en_below_thousand(group) + (f" {_EN_SCALES[power]}" if power else ""))
        power += 1
    text = ("minus " if minor_units < 0 else "") + (" ".join(parts) or "zero")
    text = f"{text} {major_name} {minor:02d} {minor_name}"
    return text[0].upper() + text[1:]
