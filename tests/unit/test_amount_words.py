"""Amounts in Russian words: gender agreement and the three plural forms, by table and by property (the words
parse back to the number they were written from)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.documents.words import amount_in_words, amount_in_words_en, number_in_words, plural

RUBLE = ("рубль", "рубля", "рублей")


@pytest.mark.parametrize(
    ("minor", "words"),
    [
        (12345678, "Сто двадцать три тысячи четыреста пятьдесят шесть рублей 78 копеек"),
        (100, "Один рубль 00 копеек"),
        (200, "Два рубля 00 копеек"),
        (500, "Пять рублей 00 копеек"),
        (1100, "Одиннадцать рублей 00 копеек"),
        (1200, "Двенадцать рублей 00 копеек"),
        (1400, "Четырнадцать рублей 00 копеек"),
        (2100, "Двадцать один рубль 00 копеек"),
        (2200, "Двадцать два рубля 00 копеек"),
        (11100, "Сто одиннадцать рублей 00 копеек"),
        (100100, "Одна тысяча один рубль 00 копеек"),
        (200200, "Две тысячи два рубля 00 копеек"),
        (500000, "Пять тысяч рублей 00 копеек"),
        (1100000, "Одиннадцать тысяч рублей 00 копеек"),
        (2100000, "Двадцать одна тысяча рублей 00 копеек"),
        (100000000, "Один миллион рублей 00 копеек"),
        (200000000, "Два миллиона рублей 00 копеек"),
        (500000000, "Пять миллионов рублей 00 копеек"),
        (100000001, "Один миллион рублей 01 копейка"),
        (2, "Ноль рублей 02 копейки"),
        (5, "Ноль рублей 05 копеек"),
        (11, "Ноль рублей 11 копеек"),
        (21, "Ноль рублей 21 копейка"),
        (0, "Ноль рублей 00 копеек"),
        (
            123456789012,
            "Один миллиард двести тридцать четыре миллиона пятьсот шестьдесят семь тысяч восемьсот "
            "девяносто рублей 12 копеек",
        ),
    ],
)
def test_amount_in_words(minor: int, words: str) -> None:
    assert amount_in_words(minor, "RUB") == words


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (0, "рублей"),
        (1, "рубль"),
        (2, "рубля"),
        (4, "рубля"),
        (5, "рублей"),
        (11, "рублей"),
        (12, "рублей"),
        (14, "рублей"),
        (21, "рубль"),
        (22, "рубля"),
        (25, "рублей"),
        (101, "рубль"),
        (111, "рублей"),
        (1001, "рубль"),
        (1000000, "рублей"),
    ],
)
def test_plural_forms(n: int, form: str) -> None:
    assert plural(n, RUBLE) == form


def test_feminine_agreement_for_thousands_only() -> None:
    assert number_in_words(1001) == "одна тысяча один"
    assert number_in_words(2002) == "две тысячи два"
    assert number_in_words(2, "f") == "две"
    assert number_in_words(1_000_000) == "один миллион"
    assert number_in_words(1_001_000) == "один миллион одна тысяча"


def test_english_copy_words() -> None:
    assert amount_in_words_en(12345678) == "One hundred twenty-three thousand four hundred fifty-six roubles 78 kopecks"
    assert amount_in_words_en(100000001) == "One million roubles 01 kopecks"


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(ValueError):
        amount_in_words(100, "XXX")


# A reader of the words, written independently of the writer: each word's value, scales multiply what precedes.
_VALUES = {
    "ноль": 0,
    "один": 1,
    "одна": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "четыреста": 400,
    "пятьсот": 500,
    "шестьсот": 600,
    "семьсот": 700,
    "восемьсот": 800,
    "девятьсот": 900,
}
_SCALE_WORDS = {"тысяч": 1000, "миллион": 10**6, "миллиард": 10**9}


def _read(words: str) -> int:
    total = group = 0
    for word in words.lower().split():
        if word in _VALUES:
            group += _VALUES[word]
            continue
        for stem, scale in _SCALE_WORDS.items():
            if word.startswith(stem):
                total += group * scale
                group = 0
                break
        else:
            raise AssertionError(f"unexpected word {word!r}")
    return total + group


@given(st.integers(min_value=0, max_value=999_999_999_999_99))
def test_words_read_back_to_the_amount(minor: int) -> None:
    text = amount_in_words(minor, "RUB")
    roubles_part, kopecks, kopeck_word = text.rsplit(" ", 2)
    number_words, rouble_word = roubles_part.rsplit(" ", 1)
    assert _read(number_words) == minor // 100
    assert int(kopecks) == minor % 100
    assert rouble_word == plural(minor // 100, RUBLE)
    assert kopeck_word == plural(minor % 100, ("копейка", "копейки", "копеек"))
    assert text[0].isupper()


@given(st.integers(min_value=1, max_value=999_999_999))
def test_thousands_agree_in_feminine(n: int) -> None:
    words = number_in_words(n).split()
    for before, word in itertools.pairwise(words):
        if word.startswith("тысяч"):
            assert before not in ("один", "два")
