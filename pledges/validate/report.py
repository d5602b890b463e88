"""The validation report: one JSON and one HTML file, written together."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from pledges.validate.expectations import Outcome

ENGINES = ("frictionless", "pandera", "great_expectations")


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


def write_reports(root: Path, report: dict) -> None:
    (root / "reports").mkdir(exist_ok=True)
    written = {"validation.json": json.dumps(report, indent=2, ensure_ascii=False) + "\n",
               "validation.html": render_html(report)}
    for name, text in written.items():  # each through a temporary name: a full disk leaves the old report whole
        partial = root / "reports" / f".{name}.partial"
        try:
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, root / "reports" / name)
        finally:
            partial.unlink(missing_ok=True)
