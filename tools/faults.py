"""Break a built package on purpose, with one fault of each class `make validate` finds, put in
the last row of its table (where a check that samples, or stops early, would miss it).

    python -m tools.faults ROOT    # breaks ROOT in place, then prints what validation must find

The tests validate the real package broken this way (tests/test_validate.py); `make bench`
validates the 10,000-source package broken this way and says which classes were found.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from pledges.errors import command

# (table, column, value written into the last row; "=first" for the first row's value)
CELLS = (
    ("claims", "unit", "EURO"),  # a cell outside its enum
    ("claims", "quote_start", "early"),  # a cell not of its type
    ("claims", "source_id", "999_0000000000000000"),  # a key to no row of another table
    ("pledges", "fact_id", "=first"),  # a primary key twice
    ("investments", "eur_usd_rate", "1.2"),  # amounts no longer at the rate: rules across columns
)
SUITE, COLUMN = "gx/expectations/sources.json", '"column": "source_id"'  # an expectation that cannot run

# What validation must then report: (engine, table, check, status).
FOUND = {
    ("frictionless", "claims", "bytes and hash", "failed"),
    ("frictionless", "claims", "field unit", "failed"),
    ("frictionless", "claims", "field quote_start", "failed"),
    ("frictionless", "claims", "foreign keys", "failed"),
    ("frictionless", "pledges", "primary key", "failed"),
    ("frictionless", "investments", "bytes and hash", "failed"),
    ("pandera", "claims", "unit: isin", "failed"),
    ("pandera", "claims", "quote_start: dtype Int64", "failed"),
    ("pandera", "claims", "claim_id_starts_with_source_id", "failed"),
    ("pandera", "pledges", "fact_id: unique", "failed"),
    ("pandera", "investments", "amount_usd_is_amount_eur_at_the_rate", "failed"),
    ("great_expectations", "claims", "expect_column_values_to_be_in_set(unit)", "failed"),
    ("great_expectations", "claims", "expect_column_values_to_be_in_set(source_id)", "failed"),
    ("great_expectations", "pledges", "expect_column_values_to_be_unique(fact_id)", "failed"),
    ("great_expectations", "investments", "expect_column_values_to_be_between(rate_implied_by_amounts_error)",
     "failed"),
    ("great_expectations", "sources", "expect_column_values_to_be_in_set(no_such_column)", "error"),
}


def break_package(root: Path) -> set[tuple[str, str, str, str]]:
    """Put every fault into the package under `root`; return what validation must report."""
    for table, column, value in CELLS:
        path = root / "data" / f"{table}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        at = rows[0].index(column)
        rows[-1][at] = rows[1][at] if value == "=first" else value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    suite = root / SUITE
    suite.write_text(suite.read_text(encoding="utf-8").replace(COLUMN, '"column": "no_such_column"'), encoding="utf-8")
    return FOUND


@command("faults")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a built package, to be broken in place")
    root = parser.parse_args(argv).root
    if not (root / "datapackage.json").is_file():
        print(f"faults stopped: {root / 'datapackage.json'} does not exist; build the package first", file=sys.stderr)
        return 1
    for found in sorted(break_package(root)):
        print(" ".join(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
