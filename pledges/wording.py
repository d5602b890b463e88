"""How figures, hedges, statuses and print advice are written in words: one place for the checks'
explanations, the tables' `print_advice` and the pages, so that they never say a figure two ways.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from pledges import vocabulary

BILLION, MILLION = Decimal("1e9"), Decimal("1e6")


def describe(value: Decimal, unit: str) -> str:
    """A figure as a reader writes it: EUR 4bn, USD 4.318bn, EUR 15m, 2,500 startups, 100%."""
    words = vocabulary.current()
    if unit in words.currencies:
        for scale, suffix in ((BILLION, "bn"), (MILLION, "m")):
            if value >= scale:
                return f"{unit} {format((value / scale).quantize(Decimal('1e-4')).normalize(), 'f')}{suffix}"
        return f"{unit} {format(value.quantize(Decimal(1)).normalize(), ',f')}"
    if unit == "percent":
        return f"{format(value.normalize(), 'f')}%"
    return f"{format(value.normalize(), ',f')} {words.unit_words(unit)}"


def hedge_words(qualifier: str) -> str:
    """"more than", "up to", "no hedge"."""
    return vocabulary.current().hedge_words(qualifier)


def progress_words(progress: str) -> str:
    """A report of progress (a value of the registry's progress) as words: "partly delivered"."""
    return progress.replace("_", " ")


def figure(value: Decimal, unit: str, qualifier: str, value_to: Decimal | None = None) -> str:
    """A figure with its hedge, as a headline writes it: "more than EUR 1.2bn", "up to 25,000 GPUs",
    "EUR 30bn to 50bn"."""
    stated = describe(value, unit)
    if value_to is not None:
        upper = describe(value_to, unit)
        if unit in vocabulary.current().currencies:
            upper = upper.removeprefix(f"{unit} ")
        stated = f"{stated} to {upper}"
    return stated if qualifier == "unhedged" else f"{hedge_words(qualifier)} {stated}"


def significant(value: Decimal, digits: int) -> Decimal:
    """`value` rounded to `digits` significant digits."""
    place = value.adjusted() - digits + 1
    return value.scaleb(-place).quantize(Decimal(1), ROUND_HALF_EVEN).scaleb(place).normalize()


def converted(value: Decimal, other: Decimal) -> Decimal:
    """A converted amount for a page: three significant digits, or more until it differs from the
    number it was converted from (EUR 4bn at 1.0795 is USD 4.32bn, never "USD 4bn"). The tables
    keep the exact conversion."""
    digits = 3
    while significant(value, digits) == other.normalize() and digits < 12:
        digits += 1
    return significant(value, digits)


def sources_word(n: int) -> str:
    return f"{n} source" if n == 1 else f"{n} sources"


def print_advice(status: str, headline: str, number: str, stating: int, reporting: int, sources: str,
                 spread: str = "", independent: int | None = None, caveat: str = "", doubts: str = "") -> str:
    """The sentence of `advice` (below), with what neither confirms nor contradicts it (`doubts`)
    and a caveat after it where there is one (a total that its parts do not confirm)."""
    said = advice(status, headline, number, stating, reporting, sources, spread, independent)
    if doubts:
        said += f" {doubts}"
    return f"{said} {caveat}" if caveat else said


def span_words(span, unit: str) -> str:
    """An interval of figures in words, with only the ends it has: "EUR 5.2bn", "more than EUR
    5.2bn", "up to 25,000 GPUs", "EUR 63bn to EUR 83bn"; "no bound stated" when it has none."""
    if span is None or (span.low is None and span.high is None):
        return "no bound stated"
    if span.low is not None and span.high is not None and span.low != span.high:
        return f"{describe(span.low, unit)} to {describe(span.high, unit)}"
    return span.written(lambda value: describe(value, unit)).replace("at most", "up to")


def total_caveat(verdict: str, written: str, parts: str) -> str:
    """What to add when a reported total is not confirmed by the pledges it combines."""
    if verdict == "consistent":
        return f"It is a total, and the pledges it combines add up to it ({parts})."
    if verdict == "inconsistent":
        return f"It is a total that the pledges it combines contradict: they add up to {parts}; print that sum instead."
    return (f"It is a total that the pledges it combines do not confirm: they add up to {parts}, so do not print "
            f"{written} as their sum.")


def advice(status: str, headline: str, number: str, stating: int, reporting: int, sources: str,
           spread: str = "", independent: int | None = None) -> str:
    """What a reporter can print about a pledge, in one sentence, from its status.

    `headline`: the headline figure with its hedge; `number`: the figure without it; `stating`: how
    many sources state that number (any hedge, any rank); `reporting`: how many report the pledge;
    `sources`: who states the headline; `spread`: how the hedges differ; `independent`: how many
    independent groups the reporting sources form, where fewer than the sources."""
    of = f"{stating} of {reporting} sources state {number}"
    if spread and ";" in spread and status != "hedges differ":  # the number, hedged in more than one way
        of += f" (hedged as: {spread})"
    if independent is not None and independent < reporting:
        of += f" ({reporting} articles, {independent} independent)"
    if status == "corroborated":
        return f"Yes: print “{headline}”. {of}, and none contradicts it."
    if status == "single source":
        if reporting > 1:  # articles that are near-copies of one: one source, however many pages
            return (f"Print “{headline}” as {sources}'s figure: one independent source states it ({reporting} "
                    f"articles, near-copies of one).")
        return f"Print “{headline}” as {sources}'s figure: one source states it."
    if status == "hedges differ":
        return (f"Print “{number}” and say the sources hedge it differently ({spread}); {of}, "
                f"and none gives another figure.")
    return (f"Print it with care, attributed to {sources}: {of}, and a finding below shows a figure, "
            f"currency, deadline or sum that contradicts “{headline}”.")
