"""The pandera models catch what a Table Schema cannot: rules across columns."""

import pytest
from conftest import ROOT

from pledges.validate.pandera_models import validate


def table(name: str) -> str:
    return (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8")


def with_cell(name: str, row_id: str, column: str, value: str) -> bytes:
    """The table with one cell changed (the row whose first column is `row_id`)."""
    import csv
    import io
    rows = list(csv.reader(io.StringIO(table(name))))
    at = rows[0].index(column)
    row = next(r for r in rows[1:] if r[0] == row_id)
    assert row[at] != value
    row[at] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@pytest.mark.data
def test_built_tables_keep_every_rule():
    from pledges.validate.pandera_models import models
    for name in models(ROOT):
        assert validate(name, table(name).encode()) == [], name


def test_amount_usd_off_the_recorded_rate_is_caught():
    broken = with_cell("investments", "msft-fr-investment", "amount_usd", "5000000000")
    assert validate("investments", broken) == [
        "check amount_usd_is_amount_eur_at_the_rate fails for row msft-fr-investment"]


def test_offsets_that_do_not_span_the_quote_are_caught():
    broken = table("claims").replace(",524,558,", ",524,560,")
    assert validate("claims", broken.encode()) == [
        "check offsets_span_the_quote fails for row 000_a740679b1ad3bc90-c01"]


def test_pledge_in_the_wrong_topic_table_is_caught():
    broken = with_cell("gpus", "msft-fr-gpus", "metric", "startups")
    assert validate("gpus", broken) == ["check holds_only_its_metrics fails for row msft-fr-gpus"]


def test_cell_of_the_wrong_type_is_caught():
    broken = table("training").replace(",1000000,", ",1m,")
    assert any(failure.startswith("column value:") for failure in validate("training", broken.encode()))


def test_table_with_a_header_and_no_rows_fails():
    header_only = table("pledges").split("\n")[0] + "\n"
    assert validate("pledges", header_only.encode()) == ["check has_rows fails for the table"]
    assert validate("gpus", (table("gpus").split("\n")[0] + "\n").encode()) == []  # a topic table may be empty


def test_text_that_a_spreadsheet_would_run_is_caught():
    broken = table("claims").replace(",Microsoft says it will invest", ",=Microsoft says it will invest")
    assert any(f.startswith("column quote: check str_matches") for f in validate("claims", broken.encode()))
