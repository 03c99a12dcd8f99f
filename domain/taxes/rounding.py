"""The one place that says how VAT is rounded. Everything else calls these functions.

The rules:
- Prices on the exchange are stated gross: the VAT a seller charges is included in the price it quotes
  («в т. ч. НДС»); a seller without VAT (simplified system, exempt, not stated) has VAT 0 and net = gross.
- VAT is worked out per line (a bid's parts line, its tooling line; each milestone's fee), rounded half up
  to the minor unit (the kopeck), and the lines' VAT is summed: never recomputed from a sum.
- Where one amount is divided into shares (a contract into its milestones), each share but the largest gets
  its own rounded VAT and the largest takes what is left, so the shares add up exactly to the whole.
- Integer minor units throughout; the rate is a Decimal percentage read from the rates table, worked with as
  an exact fraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


def half_up(value: Fraction) -> int:
    """Round a non-negative exact value half up to an integer (0.5 kopeck -> 1 kopeck)."""
    if value < 0:
        return -half_up(-value)
    return int(value + Fraction(1, 2))  # int() truncates: for a non-negative value, the floor


def vat_included(gross_minor: int, rate_percent: Decimal | None) -> int:
    """The VAT included in a gross amount at `rate_percent` (e.g. 22): gross x rate / (100 + rate), half up."""
    if rate_percent is None or gross_minor == 0:
        return 0
    rate = Fraction(rate_percent)
    return half_up(Fraction(gross_minor) * rate / (100 + rate))


def vat_of_lines(lines_minor: Sequence[int], rate_percent: Decimal | None) -> int:
    """The VAT of several lines: each line rounded on its own, then summed."""
    return sum(vat_included(line, rate_percent) for line in lines_minor)


def apportion_vat(vat_minor: int, shares_minor: Sequence[int], rate_percent: Decimal | None) -> list[int]:
    """Divide a whole's VAT over shares of its gross: each share its own rounded VAT, the largest the rest."""
    if not shares_minor:
        return []
    largest = max(range(len(shares_minor)), key=lambda i: (shares_minor[i], -i))
    parts = [0 if i == largest else vat_included(share, rate_percent) for i, share in enumerate(shares_minor)]
    parts[largest] = vat_minor - sum(parts)
    return parts
