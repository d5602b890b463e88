"""The validation report: one JSON and one HTML file, swapped into place together."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pledges import files

ENGINES = ("frictionless", "pandera", "great_expectations")


@dataclass(frozen=True)
class Outcome:
    """One check of one engine on one table, as the report lists it."""
    table: str
    check: str
    status: str  # passed, failed or error
    detail: str


def summarise(results: dict[str, list[Outcome]]) -> list[dict]:
    rows = []
    for engine, outcomes in results.items():
        for table in sorted({o.table for o in outcomes}):
            counts = Counter(o.status for o in outcomes if o.table == table)
            rows.append({"engine": engine, "table": table, "checks": sum(counts.values()),
                         "failed": counts["failed"], "errors": counts["error"]})
    return rows


def render_html(report: dict) -> str:
    """The report as HTML, from its Jinja2 template (autoescaped)."""
    from pledges.publish.templating import environment
    return environment().get_template("validation.html").render(report=report, engines=ENGINES)


ENTRIES = ["reports"]


def write_reports(root: Path, report: dict) -> None:
    """Both reports, swapped into place together (pledges.files.Swap): an interruption leaves the
    previous pair or the new pair, never one of each."""
    swap = files.Swap(root, "reports", ENTRIES)
    try:
        swap.write("reports/validation.json", (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        swap.write("reports/validation.html", render_html(report).encode("utf-8"))
    except BaseException:
        swap.abandon()
        raise
    swap.commit()


def recover(root: Path) -> list[str]:
    """Finish or undo a swap of the reports that was cut short."""
    return files.Swap.recover(root, ".reports-", ENTRIES)
