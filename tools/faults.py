"""Break a built package on purpose, with one fault of each class `make validate` must find, each
in the last rows of its table (where a check that samples, or stops early, would miss it).

    python -m tools.faults ROOT    # breaks ROOT in place, then prints what validation must find

Each class says which engines find it: Frictionless what the Table Schemas state (types, enums,
keys, bytes), pandera the rules across columns, Great Expectations the relations across tables
(as derived columns), the rules across rows, and the derived columns. The tests validate the real
package broken this way (tests/test_validate.py); `make bench` validates the 10,000-source
package broken this way and says which classes were found.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pledges.errors import command

SUITES = "gx/expectations"


@dataclass(frozen=True)
class Fault:
    what: str
    table: str
    # the last row's cells to change, column -> value; or a row to add at the end, a copy of the
    # first row with these cells changed. Values are formatted with the first row's cells:
    # "{fact_id}" is the first row's fact_id.
    cells: dict[str, str] = field(default_factory=dict)
    added: dict[str, str] = field(default_factory=dict)
    # or a suite to break: (file in gx/expectations/, text in it, replacement)
    suite: tuple[str, str, str] | None = None
    found: tuple[tuple[str, str, str], ...] = ()  # (engine, check, status) on `table`: what finds it


FAULTS = (
    Fault("a cell outside its enum", "claims", cells={"unit": "EURO"},
          found=(("frictionless", "field unit", "failed"), ("pandera", "unit: isin", "failed"))),
    Fault("a cell not of its type", "claims", cells={"quote_start": "early"},
          found=(("frictionless", "field quote_start", "failed"), ("pandera", "quote_start: dtype Int64", "failed"))),
    Fault("a key to no row of another table", "claims", cells={"source_id": "999_0000000000000000"},
          found=(("frictionless", "foreign keys", "failed"),
                 ("pandera", "claim_id_starts_with_source_id", "failed"))),
    Fault("a table changed since datapackage.json recorded its bytes and hash", "claims",
          found=(("frictionless", "bytes and hash", "failed"),)),
    Fault("a primary key twice", "pledges", cells={"fact_id": "{fact_id}"},
          found=(("frictionless", "primary key", "failed"), ("pandera", "fact_id: unique", "failed"))),
    Fault("amounts no longer at the recorded rate (a rule across columns, a derived column)", "investments",
          cells={"eur_usd_rate": "1.2"},
          found=(("pandera", "amount_usd_is_amount_eur_at_the_rate", "failed"),
                 ("great_expectations", "expect_column_values_to_be_between(rate_implied_by_amounts_error)",
                  "failed"))),
    Fault("a source no claim cites (a relation across tables)", "sources",
          added={"source_id": "998_ffffffffffffffff", "seed_file": "seeds/998_ffffffffffffffff.txt"},
          found=(("great_expectations", "expect_column_values_to_be_between(n_claims)", "failed"),)),
    Fault("a pledge without a claim (a relation across tables)", "pledges", added={"fact_id": "no-claim-states-it"},
          found=(("great_expectations", "expect_column_values_to_be_between(n_claims)", "failed"),)),
    Fault("one figure of one quote claimed twice (a rule across rows)", "claims",
          added={"claim_id": "{source_id}-c999"},
          found=(("great_expectations",
                  "expect_compound_columns_to_be_unique(source_id, quote_start, quote_end, value, unit)", "failed"),)),
    Fault("an expectation that cannot run (a column no table has)", "claims",
          suite=("claims.json", '"column_A": "quote_end"', '"column_A": "no_such_column"'),
          found=(("great_expectations",
                  "expect_column_pair_values_a_to_be_greater_than_b(no_such_column > quote_start)", "error"),)),
)

# What validation must then report: (engine, table, check, status).
FOUND = {(engine, fault.table, check, status) for fault in FAULTS for engine, check, status in fault.found}


def break_table(path: Path, faults: list[Fault]) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, first, last = rows[0], rows[1], rows[-1]
    cells = dict(zip(header, first))
    for fault in faults:
        for column, value in fault.cells.items():
            last[header.index(column)] = value.format_map(cells)
    for fault in faults:
        if fault.added:
            row = list(first)
            for column, value in fault.added.items():
                row[header.index(column)] = value.format_map(cells)
            rows.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def break_package(root: Path) -> set[tuple[str, str, str, str]]:
    """Put every fault into the package under `root`; return what validation must report."""
    for table in sorted({fault.table for fault in FAULTS if fault.cells or fault.added}):
        break_table(root / "data" / f"{table}.csv", [fault for fault in FAULTS if fault.table == table])
    for fault in FAULTS:
        if fault.suite:
            name, text, replacement = fault.suite
            suite = root / SUITES / name
            content = suite.read_text(encoding="utf-8")
            if content.count(text) != 1:
                raise ValueError(f"{SUITES}/{name}: {text!r} occurs {content.count(text)} times, not once")
            suite.write_text(content.replace(text, replacement), encoding="utf-8")
    return FOUND


@command("faults")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a built package, to be broken in place")
    root = parser.parse_args(argv).root
    if not (root / "datapackage.json").is_file():
        print(f"faults stopped: {root / 'datapackage.json'} does not exist; build the package first", file=sys.stderr)
        return 1
    for fault in FAULTS:
        engines = ", ".join(sorted({engine for engine, _, _ in fault.found}))
        print(f"{fault.table}: {fault.what}: found by {engines}")
        for engine, check, status in fault.found:
            print(f"    {engine} {fault.table} {check} ({status})")
    break_package(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
