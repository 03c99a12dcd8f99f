"""Machine hours estimated from a part's model when the buyer gave none: machining removes the stock around the
part (the stock taken as the part's bounding box) at a material's typical roughing rate, plus handling per part.
A rough, stated estimate (its basis goes with it into the ranking's answer), for machining processes only; other
processes, or a part without a volume, get none. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass

from domain.vocabulary import Process

# Typical roughing material-removal rates, cm³ per minute, on a mid-size machining centre; the first keyword found
# in the order's material (English or Russian, lower-cased) decides, else the steel figure.
REMOVAL_RATES: tuple[tuple[tuple[str, ...], float], ...] = (
    (("stainless", "нерж", "aisi 3", "1.43"), 6.0),
    (("titan", "титан"), 3.0),
    (("alumin", "алюмин", "д16", "амг", "6061", "7075"), 30.0),
    (("brass", "bronze", "copper", "латун", "бронз", "мед"), 20.0),
    (("plastic", "pom", "polyamide", "abs", "peek", "капролон", "пластик", "полиамид"), 40.0),
    (("steel", "сталь"), 10.0),
)
DEFAULT_RATE = 10.0
HANDLING_MINUTES = 5.0
MACHINING = frozenset({Process.cnc_milling.value, Process.cnc_turning.value})


@dataclass(frozen=True, slots=True)
class HoursEstimate:
    hours: int
    basis: str  # the English rendering of the figures below
    quantity: int = 0
    removed_cm3: float = 0.0
    removal_rate_cm3_per_min: float = 0.0
    handling_minutes: float = HANDLING_MINUTES


def removal_rate(material: str) -> float:
    text = material.lower()
    for keywords, rate in REMOVAL_RATES:
        if any(keyword in text for keyword in keywords):
            return rate
    return DEFAULT_RATE


def hours_from_model(
    *, process: str, material: str, quantity: int, envelope_mm: tuple[float, float, float], volume_mm3: float | None
) -> HoursEstimate | None:
    if process not in MACHINING or volume_mm3 is None or quantity <= 0:
        return None
    stock_cm3 = envelope_mm[0] * envelope_mm[1] * envelope_mm[2] / 1000.0
    removed_cm3 = max(0.0, stock_cm3 - volume_mm3 / 1000.0)
    rate = removal_rate(material)
    minutes = removed_cm3 / rate + HANDLING_MINUTES
    hours = max(1, math.ceil(quantity * minutes / 60.0))
    return HoursEstimate(
        hours=hours,
        basis=f"estimated from the model: {quantity} parts x ({removed_cm3:.0f} cm3 removed at {rate:g} cm3/min "
        f"+ {HANDLING_MINUTES:g} min handling) = {hours} machine-hours",
        quantity=quantity,
        removed_cm3=round(removed_cm3),
        removal_rate_cm3_per_min=rate,
        handling_minutes=HANDLING_MINUTES,
    )
