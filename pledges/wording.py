"""How figures, hedges and verdicts are written in words: one place for the checks, tables and pages."""

from __future__ import annotations

from decimal import Decimal

from pledges.tables.schemas import currencies

CURRENCIES = currencies()


def describe(value: Decimal, unit: str) -> str:
    """A figure as a reader writes it: EUR 4bn, USD 4.318bn, EUR 15m, 2,500 startups, 100%."""
    if unit in CURRENCIES:
        for scale, suffix in ((Decimal("1e9"), "bn"), (Decimal("1e6"), "m")):
            if value >= scale:
                return f"{unit} {format((value / scale).quantize(Decimal('1e-4')).normalize(), 'f')}{suffix}"
        return f"{unit} {format(value.quantize(Decimal(1)).normalize(), ',f')}"
    if unit == "percent":
        return f"{format(value.normalize(), 'f')}%"
    return f"{format(value.normalize(), ',f')} {UNIT_NAMES.get(unit, unit)}"


UNIT_NAMES = {"gpus": "GPUs"}  # units as a reader writes them, where the code differs


HEDGE_WORDS = {"unhedged": "no hedge", "about": "about", "nearly": "nearly", "more_than": "more than",
               "at_least": "at least", "up_to": "up to"}
