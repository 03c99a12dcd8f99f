"""Free text and email addresses as every area checks them: trimmed of invisible marks, bounded, required.

Shared by all areas (titles, descriptions, messages, names), so it lives outside any of them: an area that only
needed `check_text` used to import identity, and identity the areas that imported it back."""

from __future__ import annotations

import re
import unicodedata

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def normalise_email(email: str, field: str = "email") -> str:
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput("not a valid email address", field)
    return email


# Characters that draw nothing: controls, format marks (U+200B zero width space, U+200F right-to-left mark,
# U+202E right-to-left override, U+2060, U+FEFF…), separators and lone combining marks; plus the few letters and
# symbols that render blank (Hangul fillers, the braille blank). A title of only these looks empty in every list.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def invisible(char: str) -> bool:
    return char in _BLANK_LOOKING or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _trimmable(char: str) -> bool:
    # Whitespace, format marks and blank-looking letters go; combining marks stay ("Cafe\u0301" ends in one and
    # means "Café"), and so do other control characters, for the rules that refuse them to see.
    return char.isspace() or char in _BLANK_LOOKING or unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp")


def trim(value: str) -> str:
    """Whitespace and invisible marks taken off both ends (a trailing U+202E would reverse what follows the
    text wherever it is shown); empty when nothing visible is left."""
    if all(invisible(char) for char in value):
        return ""
    start, end = 0, len(value)
    while start < end and _trimmable(value[start]):
        start += 1
    while end > start and _trimmable(value[end - 1]):
        end -= 1
    return value[start:end]


def check_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """Free text: trimmed of whitespace and invisible marks at its ends; refused as empty when nothing visible
    is left (a title of only U+200B is as blank as an empty one)."""
    value = trim(value)
    if required and not value:
        raise InvalidInput("must not be empty", field, ErrorCode.REQUIRED)
    if len(value) > max_length:
        raise InvalidInput(
            f"use at most {max_length} characters",
            field,
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.CHARACTERS, max=max_length),
        )
    return value
